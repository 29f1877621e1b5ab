using System.Diagnostics;
using OfflineMedia.Testing;

namespace OfflineMedia.Fleet.Origins;

/// <summary>The SDK's fake origin (Kestrel on 127.0.0.1, in this process), its clock the fleet's.</summary>
internal sealed class FakeFleetOrigin(FakeMediaOrigin origin) : IFleetOrigin
{
    public string Description => "fake origin (OfflineMedia.Testing, Kestrel, HTTP/1.1, in process)";

    public Uri BaseAddress => origin.BaseAddress;

    public FakeMediaCatalog Catalog => origin.Catalog;

    public static async Task<FakeFleetOrigin> StartAsync(FakeMediaCatalog catalog, TimeProvider clock) =>
        new(await FakeMediaOrigin.StartAsync(catalog, new FakeMediaOriginOptions { TimeProvider = clock }));

    public Task ChangeContentAsync(IReadOnlyList<FakeMediaVariant> variants)
    {
        foreach (var variant in variants)
        {
            variant.ChangeContent();
        }

        return Task.CompletedTask;
    }

    public string Sha256Of(FakeMediaVariant variant) => variant.Sha256;

    public async Task<IReadOnlyList<OriginHit>> TakeRequestsAsync()
    {
        // A client can have its last byte before the origin marks the request done.
        var clock = Stopwatch.StartNew();
        while (origin.Requests.All.Any(r => !r.IsCompleted) && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        var requests = origin.Requests.All;
        origin.Requests.Clear();
        return [.. requests.Select(r => new OriginHit(r.Path.StartsWith("/media/", StringComparison.Ordinal), r.StatusCode, r.BodyBytesSent))];
    }

    public ValueTask DisposeAsync() => origin.DisposeAsync();
}
