using OfflineMedia.Testing;

namespace OfflineMedia.Fleet.Origins;

/// <summary>What the fleet syncs against: one server for the API and the media, with a log of what it answered.</summary>
internal interface IFleetOrigin : IAsyncDisposable
{
    /// <summary>Gets what serves, for the report: "fake origin" or nginx and its version.</summary>
    string Description { get; }

    /// <summary>Gets the address the devices' API base address points at.</summary>
    Uri BaseAddress { get; }

    /// <summary>Gets the catalog served (variants and their current versions).</summary>
    FakeMediaCatalog Catalog { get; }

    /// <summary>Gives <paramref name="variants"/> new content behind the same URLs (new bytes, a new ETag and Last-Modified).</summary>
    Task ChangeContentAsync(IReadOnlyList<FakeMediaVariant> variants);

    /// <summary>Gets the SHA-256 (lowercase hex) of the bytes the origin now serves for <paramref name="variant"/>.</summary>
    string Sha256Of(FakeMediaVariant variant);

    /// <summary>Returns the requests the origin finished since the last call, once it has finished all it is busy with.</summary>
    Task<IReadOnlyList<OriginHit>> TakeRequestsAsync();
}
