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
    string? ContentHash = null);
