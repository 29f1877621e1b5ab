namespace OfflineMedia.Cache.Internal;

/// <summary>
/// What is known of a partial download, kept in the index under its <c>.part</c> file's name so a later attempt,
/// even after a crash, can resume it with <c>Range</c> + <c>If-Range</c> and know the content did not change.
/// </summary>
internal sealed record PartialDownload(string? ETag, string? LastModified, long? TotalBytes, string? ContentType);
