namespace OfflineMedia.Cache.Internal;

/// <summary>What a row of the index is reported as.</summary>
internal static class IndexEntryMedia
{
    /// <summary>The row as <see cref="CachedMedia"/>, its file at <paramref name="path"/>.</summary>
    public static CachedMedia ToCachedMedia(this IndexEntry entry, string path) => new()
    {
        Key = entry.Key,
        LocalPath = path,
        SourceUrl = entry.SourceUrl,
        Bytes = entry.Size,
        ContentType = entry.ContentType,
        ETag = entry.ETag,
        LastModified = entry.LastModified is { } modified ? DateTimeOffset.FromUnixTimeMilliseconds(modified) : null,
        Sha256 = entry.Sha256,
        CachedAt = DateTimeOffset.FromUnixTimeMilliseconds(entry.CachedAt),
        LastAccessedAt = DateTimeOffset.FromUnixTimeMilliseconds(entry.LastAccess),
        PinnedUntil = entry.PinnedUntil is { } until ? DateTimeOffset.FromUnixTimeMilliseconds(until) : null,
        FreshUntil = entry.FreshUntil is { } fresh ? DateTimeOffset.FromUnixTimeMilliseconds(fresh) : null,
    };
}
