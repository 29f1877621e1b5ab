namespace OfflineMedia.Cache;

/// <summary>What the cache holds, against its budget.</summary>
/// <param name="TotalBytes">The bytes of all cached files.</param>
/// <param name="Count">The number of cached files.</param>
/// <param name="ImageBytes">The bytes of cached images (posters included).</param>
/// <param name="ImageCount">The number of cached images.</param>
/// <param name="VideoBytes">The bytes of cached videos.</param>
/// <param name="VideoCount">The number of cached videos.</param>
/// <param name="PinnedBytes">The bytes of files that are pinned now and cannot be evicted.</param>
/// <param name="LimitBytes">The budget, <see cref="OfflineMediaOptions.CacheSizeLimitBytes"/>.</param>
public sealed record CacheUsage(
    long TotalBytes,
    int Count,
    long ImageBytes,
    int ImageCount,
    long VideoBytes,
    int VideoCount,
    long PinnedBytes,
    long LimitBytes);
