using OfflineMedia.Diagnostics;
using OfflineMedia.Internal;
using OfflineMedia.Variants;

namespace OfflineMedia.Cache.Internal;

/// <summary>The download path: a lease taken (see <c>DefaultMediaCache.Leases.cs</c>), the body streamed, verified and committed.</summary>
internal sealed partial class DefaultMediaCache
{
    private async Task<CachedMedia> DownloadAsync(
        MediaKey key, MediaSource source, bool revalidate, IProgress<long> progress, ITransferSlot slot, CancellationToken cancellationToken)
    {
        using var activity = DownloadTrace.Start(_telemetry, key, source.Url);
        try
        {
            var media = await DownloadCoreAsync(key, source, revalidate, progress, slot, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("media.bytes", media.Bytes);
            return media;
        }
        catch (MediaCacheException ex)
        {
            _telemetry.DownloadFailed(key.Kind, ex.Error);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Error.ToString());
            throw;
        }
    }

    /// <summary>
    /// Downloads (or revalidates) <paramref name="key"/> under this instance's lease, which its commit or revalidation ends,
    /// holding the callers' transfer <paramref name="slot"/> from the request until the body is in.
    /// </summary>
    private async Task<CachedMedia> DownloadLeasedAsync(
        MediaKey key, MediaSource source, bool revalidate, IProgress<long> progress, ITransferSlot slot, CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        var url = ResolveUrl(key, source.Url, options.ApiBaseAddress);
        var maxBytes = source.MaxBytes ?? (key.Kind == MediaKind.Image ? options.MaxImageBytes : options.MaxVideoBytes);
        if (source.ExpectedBytes > maxBytes)
        {
            throw new MediaCacheException(MediaCacheError.VerificationFailed,
                $"{key} is listed at {source.ExpectedBytes} bytes, over the cap of {maxBytes} for this kind of media.") { Key = key };
        }

        var existing = revalidate ? TryGet(key, recordAccess: false) : null;
        var request = new DownloadRequest(key, url, _paths.PartialFile(key), maxBytes, source.ExpectedBytes, source.Sha256, progress, (bytes, token) => EnsureRoomAsync(key, bytes, token), _partials, options.DownloadStallTimeout)
        {
            Conditional = existing is { ETag: not null } or { LastModified: not null } ? (existing.ETag, existing.LastModified) : null,
            MinimumBytesPerSecond = options.MinimumDownloadBytesPerSecond,
            BodyReceived = slot.Release,
            Written = () => _writes.Written(key),
        };

        await slot.TakeAsync(cancellationToken).ConfigureAwait(false);
        var started = _time.GetTimestamp();
        var result = await _downloader.DownloadAsync(request, cancellationToken).ConfigureAwait(false);
        if (result.NotModified && existing is not null)
        {
            var now = _time.GetUtcNow();
            Index.Revalidated(key, source.Url, result.ETag, result.LastModified?.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds(), _instances.Id, FreshAfter(result, existing, now));
            Log.Revalidated(_logger, key);
            return TryGet(key, recordAccess: false) ?? existing;
        }

        var media = await CommitAsync(request, source.Url, result).ConfigureAwait(false);
        _telemetry.Downloaded(key.Kind, result.Bytes);
        Log.Downloaded(_logger, key, result.Bytes, SafeUrl.Redact(result.FinalUrl), _time.GetElapsedTime(started).TotalMilliseconds);
        return media;
    }

    /// <summary>
    /// Moves a verified partial file into place and writes its row, with the other files that finish meanwhile, in one
    /// transaction (<see cref="CommitQueue"/>), then keeps the budget; the flush to disk follows.
    /// </summary>
    private Task<CachedMedia> CommitAsync(DownloadRequest request, string sourceUrl, DownloadResult result)
    {
        var relative = _paths.RelativeMediaPath(request.Key, sourceUrl);
        return _commits.CommitAsync(_committer.Prepare(request, sourceUrl, result, relative, _paths.Resolve(relative)));
    }

    /// <summary>
    /// Before a body is written: refuses it when the disk (less the reserve) cannot take it or pinned media
    /// leave the budget no room; otherwise evicts unpinned media until it fits.
    /// </summary>
    /// <remarks>
    /// Waits for the mutation lock asynchronously: parallel downloads blocking pool threads here starved the
    /// commit that held the lock of a thread to continue on (<c>CommitAsync</c> waits asynchronously), which
    /// stalled whole syncs for seconds until the pool added threads.
    /// </remarks>
    private async ValueTask EnsureRoomAsync(MediaKey key, long bytes, CancellationToken cancellationToken)
    {
        if (_budget.FitsAsIs(Index, key, bytes))
        {
            return;
        }

        await _mutation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _budget.MakeRoomLocked(Index, key, bytes);
        }
        finally
        {
            _mutation.Release();
        }
    }

    /// <summary>
    /// Until when a file a 304 confirmed is fresh: as the 304's headers say, or, when they say nothing, for as long again
    /// as the stored response was (a 304 updates the headers it carries and keeps the others).
    /// </summary>
    private static long? FreshAfter(DownloadResult notModified, CachedMedia existing, DateTimeOffset now) =>
        notModified.Freshness.IsKnown
            ? notModified.Freshness.FreshUntil(now)
            : existing.FreshUntil is { } fresh ? (now + (fresh - existing.CachedAt)).ToUnixTimeMilliseconds() : null;

    private static Uri ResolveUrl(MediaKey key, string url, Uri? apiBase) =>
        MediaUrl.Resolve(url, apiBase, out var error)
        ?? throw new MediaCacheException(MediaCacheError.UnsupportedUrl, $"The URL of {key} cannot be fetched: {error}.") { Key = key };
}
