namespace OfflineMedia.Cache.Internal;

/// <summary>
/// A download's outcome: a verified body in the partial file, or the server's word that the cached copy is current.
/// <see cref="ContentHash"/> is the body's XxHash128, which an open checks the file against while it is unflushed.
/// </summary>
internal sealed record DownloadResult(
    bool NotModified,
    long Bytes,
    string? Sha256,
    string? ContentType,
    string? ETag,
    DateTimeOffset? LastModified,
    Uri FinalUrl,
    string? ContentHash = null)
{
    /// <summary>Gets what the response's headers say of its freshness (for a 304, the headers it refreshed).</summary>
    public OfflineMedia.Internal.ResponseFreshness Freshness { get; init; }
}
