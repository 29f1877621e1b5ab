namespace OfflineMedia.Cache.Internal;

/// <summary>
/// Downloads through the cache like <see cref="IMediaCache.GetOrDownloadAsync"/> and <see cref="IMediaCache.RevalidateAsync"/>,
/// taking the caller's transfer slot (<see cref="ITransferSlot"/>) only for the transfer itself: once the download's lease is
/// held, until the body's last byte is in, before the file is moved into place and indexed.
/// </summary>
internal interface IMediaDownloads
{
    Task<CachedMedia> GetOrDownloadAsync(MediaKey key, MediaSource source, IProgress<long>? progress, ITransferSlot? slot, CancellationToken cancellationToken);

    Task<CachedMedia> RevalidateAsync(MediaKey key, MediaSource source, IProgress<long>? progress, ITransferSlot? slot, CancellationToken cancellationToken);
}
