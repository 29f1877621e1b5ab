namespace OfflineMedia.Cache.Internal;

/// <summary>
/// A row of the index: a cached file and what the server said of it. Times are Unix milliseconds. <see cref="SourceUrl"/>
/// is the URL without its query, fragment or user info (<see cref="OfflineMedia.Internal.SafeUrl"/>): signed URLs carry
/// tokens there, so a download or revalidation takes its URL from the catalog, never from the row. <see cref="ContentHash"/>
/// (the body's XxHash128) is read only by the repair on open, so a hit reads no more than it did.
/// </summary>
internal sealed record IndexEntry(
    MediaKey Key,
    string RelativePath,
    string SourceUrl,
    long Size,
    string? ContentType,
    string? ETag,
    long? LastModified,
    string? Sha256,
    long CachedAt,
    long LastAccess,
    long? PinnedUntil = null,
    string? ContentHash = null)
{
    /// <summary>Gets until when the server said the file is fresh (Unix milliseconds), or <see langword="null"/> when it said nothing.</summary>
    public long? FreshUntil { get; init; }

    /// <summary>Gets what removing this entry takes.</summary>
    public EntryFile File => new(Key, RelativePath, Size);
}
