namespace OfflineMedia.Cache.Internal;

/// <summary>
/// <see cref="IMediaDownloads"/> over any <see cref="IMediaCache"/> (an app's own): it cannot tell when a body is in,
/// so <c>bodyReceived</c> is never called and a caller's transfer slot is held until the download ends.
/// </summary>
internal sealed class MediaCacheDownloads(IMediaCache cache) : IMediaDownloads
{
    public Task<CachedMedia> GetOrDownloadAsync(MediaKey key, MediaSource source, IProgress<long>? progress, Action? bodyReceived, CancellationToken cancellationToken) =>
        cache.GetOrDownloadAsync(key, source, progress, cancellationToken);

    public Task<CachedMedia> RevalidateAsync(MediaKey key, MediaSource source, IProgress<long>? progress, Action? bodyReceived, CancellationToken cancellationToken) =>
        cache.RevalidateAsync(key, source, progress, cancellationToken);

    /// <summary>The cache's own downloads when it offers them (the SDK's cache does), else these.</summary>
    public static IMediaDownloads For(IMediaCache cache) => cache as IMediaDownloads ?? new MediaCacheDownloads(cache);
}
