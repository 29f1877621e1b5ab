namespace OfflineMedia.Cache.Internal;

/// <summary>
/// Downloads through the cache like <see cref="IMediaCache.GetOrDownloadAsync"/> and <see cref="IMediaCache.RevalidateAsync"/>,
/// and also says when a body's last byte is in, before the file is moved into place and indexed: a caller that bounds
/// its transfers lets the next one start then. <c>bodyReceived</c> is called at most once per body, on any thread.
/// </summary>
internal interface IMediaDownloads
{
    Task<CachedMedia> GetOrDownloadAsync(MediaKey key, MediaSource source, IProgress<long>? progress, Action? bodyReceived, CancellationToken cancellationToken);

    Task<CachedMedia> RevalidateAsync(MediaKey key, MediaSource source, IProgress<long>? progress, Action? bodyReceived, CancellationToken cancellationToken);
}
