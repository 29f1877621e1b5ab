namespace OfflineMedia.Cache.Internal;

/// <summary>
/// <see cref="IMediaDownloads"/> over any <see cref="IMediaCache"/> (an app's own): it cannot tell when a transfer starts
/// or when a body is in, so a caller's transfer slot is taken before the call and held until the caller's try ends.
/// </summary>
internal sealed class MediaCacheDownloads(IMediaCache cache) : IMediaDownloads
{
    public async Task<CachedMedia> GetOrDownloadAsync(MediaKey key, MediaSource source, IProgress<long>? progress, ITransferSlot? slot, CancellationToken cancellationToken)
    {
        await TakeAsync(slot, cancellationToken).ConfigureAwait(false);
        return await cache.GetOrDownloadAsync(key, source, progress, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CachedMedia> RevalidateAsync(MediaKey key, MediaSource source, IProgress<long>? progress, ITransferSlot? slot, CancellationToken cancellationToken)
    {
        await TakeAsync(slot, cancellationToken).ConfigureAwait(false);
        return await cache.RevalidateAsync(key, source, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The cache's own downloads when it offers them (the SDK's cache does), else these.</summary>
    public static IMediaDownloads For(IMediaCache cache) => cache as IMediaDownloads ?? new MediaCacheDownloads(cache);

    private static ValueTask TakeAsync(ITransferSlot? slot, CancellationToken cancellationToken) =>
        slot?.TakeAsync(cancellationToken) ?? ValueTask.CompletedTask;
}
