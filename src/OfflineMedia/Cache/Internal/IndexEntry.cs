namespace OfflineMedia.Cache.Internal;

/// <summary>A row of the index: a cached file and what the server said of it. Times are Unix milliseconds.</summary>
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
    long? PinnedUntil = null)
{
    /// <summary>Gets what removing this entry takes.</summary>
    public EntryFile File => new(Key, RelativePath, Size);
}
