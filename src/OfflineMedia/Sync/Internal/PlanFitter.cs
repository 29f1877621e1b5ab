using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OfflineMedia.Cache;
using OfflineMedia.Diagnostics;
using OfflineMedia.Profiles;
using OfflineMedia.Storage.Internal;
using OfflineMedia.Variants;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// Fits a plan to the device: what is cached and current is done, what is cached but old is revalidated, the rest
/// downloads; then the downloads are fitted to the room there is (latest workouts and videos left out first, the cache
/// trimmed up front) and, over a metered network, to the user's consent.
/// </summary>
internal sealed class PlanFitter(
    IMediaCache cache,
    StorageBudget storage,
    IDataUsageConsent consent,
    IConnectivityProbe connectivity,
    OfflineMediaEvents events,
    TimeProvider time,
    ILogger<PlanFitter> logger)
{
    /// <summary>
    /// Opens a sync's <see cref="HeadStart"/>, with the room the fit could not take back: the free storage beyond the
    /// reserve, within what the cache's limit leaves. None when the user may be asked to consent to the download, nor when
    /// the plan at typical sizes (<paramref name="typicalBytes"/>) would not fit in that room: on a device short of room,
    /// which files are left out is the fit's to choose, soonest workouts and images first, and it needs every file's size.
    /// </summary>
    public async Task<HeadStart> OpenHeadStartAsync(
        OfflineMediaOptions options, long typicalBytes, ChannelWriter<(PlannedItem Item, bool Revalidate)> transfers, ProgressTracker tracker, CancellationToken cancellationToken)
    {
        var room = 0L;
        if (!options.ShowDataUsageWarnings || !SyncPolicy.IsMetered(connectivity.Current))
        {
            var now = await storage.GetRoomAsync(options, cancellationToken).ConfigureAwait(false);
            room = Math.Min(now.FreeBeyondReserve, options.CacheSizeLimitBytes - now.Usage.TotalBytes);
            if (typicalBytes > room)
            {
                room = 0;
            }
        }

        return new HeadStart(cache, transfers, tracker, room);
    }

    /// <summary>
    /// Sorts out <paramref name="items"/> and fits the downloads; what is settled here is in <see cref="FittedPlan.Settled"/>.
    /// With <paramref name="headStart"/>, the files it started are not among <paramref name="items"/>; when the rest fit in
    /// what is left of its room, nothing is left out nor trimmed, as for the files it started; otherwise the fit waits for
    /// them, so the room it measures counts them.
    /// </summary>
    public async Task<FittedPlan> FitAsync(IEnumerable<PlannedItem> items, OfflineMediaOptions options, HeadStart? headStart, CancellationToken cancellationToken)
    {
        var fitted = new FittedPlan();
        await SortOutCachedAsync(items, options, fitted, headStart, cancellationToken).ConfigureAwait(false);
        fitted.Reason = await FitToRoomAsync(fitted, options, headStart, cancellationToken).ConfigureAwait(false)
            ?? await ConsentAsync(fitted, options, cancellationToken).ConfigureAwait(false);
        return fitted;
    }

    /// <summary>
    /// Files cached and fresh are done; cached but stale (past the freshness their server gave, or else older than the re-sync
    /// interval) are revalidated; the rest download.
    /// </summary>
    private async Task SortOutCachedAsync(IEnumerable<PlannedItem> items, OfflineMediaOptions options, FittedPlan fitted, HeadStart? headStart, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var staleBefore = now - options.ResyncInterval;
        foreach (var item in items)
        {
            // Read once: what the head start found cached when the item was offered is what the cache holds.
            var cached = headStart is not null && headStart.TryGetFound(item.Key, out var found)
                ? found
                : await cache.TryGetAsync(item.Key, cancellationToken).ConfigureAwait(false);
            if (cached is null
                || (item.Source.Sha256 is { } sha && sha != cached.Sha256)
                || (item.Source.ExpectedBytes is { } bytes && bytes != cached.Bytes))
            {
                fitted.Downloads.Add(item);
            }
            else if (item.Source.Sha256 is null && (cached.FreshUntil is { } fresh ? fresh <= now : cached.CachedAt < staleBefore))
            {
                // No digest to compare, and stale: by what the server said of it, or else by the re-sync interval.
                fitted.Revalidations.Add(item);
            }
            else
            {
                fitted.Settled[item.Key] = SyncReports.Succeeded(item, cached, SyncItemOutcome.Cached);
            }
        }
    }

    /// <summary>
    /// Compares the downloads' estimate with the room there is, leaves out what does not fit (latest workouts first),
    /// and evicts to make room for the rest.
    /// </summary>
    private async Task<string?> FitToRoomAsync(FittedPlan fitted, OfflineMediaOptions options, HeadStart? headStart, CancellationToken cancellationToken)
    {
        var needed = fitted.Downloads.Sum(d => d.EstimatedBytes);
        if (needed == 0 || (headStart is not null && needed <= headStart.Room))
        {
            return null;
        }

        if (headStart is { Any: true })
        {
            await headStart.DrainedAsync(cancellationToken).ConfigureAwait(false);
        }

        var room = await storage.GetRoomAsync(options, cancellationToken).ConfigureAwait(false);
        string? reason = null;
        if (needed > room.Room)
        {
            var (kept, leftOut) = LeaveOut(fitted, room.Room);
            reason = $"not enough storage: the sync needs {SyncReports.Mb(needed)} but {SyncReports.Mb(Math.Max(0, room.Room))} is available " +
                     $"({SyncReports.Mb(room.FreeBeyondReserve)} free beyond the reserve, cache limit {SyncReports.Mb(options.CacheSizeLimitBytes)}); {leftOut} files were left out";
            Log.NotEnoughStorage(logger, needed, room.Room, leftOut);
            events.StorageLow(room.Status);
            needed = kept;
        }

        if (room.Usage.TotalBytes + needed > options.CacheSizeLimitBytes)
        {
            await cache.TrimAsync(Math.Max(0, options.CacheSizeLimitBytes - needed), cancellationToken).ConfigureAwait(false);
        }

        return reason;
    }

    /// <summary>Keeps the soonest downloads (images before videos) that fit in <paramref name="room"/>; the rest are left out.</summary>
    private static (long Kept, int LeftOut) LeaveOut(FittedPlan fitted, long room)
    {
        var kept = 0L;
        var leftOut = new HashSet<PlannedItem>();
        foreach (var item in fitted.Downloads.OrderBy(d => d.NeededAt).ThenBy(d => d.Key.Kind == MediaKind.Video))
        {
            if (kept + item.EstimatedBytes <= room)
            {
                kept += item.EstimatedBytes;
            }
            else
            {
                leftOut.Add(item);
                fitted.Settled[item.Key] = new SyncItemResult
                {
                    Key = item.Key,
                    Outcome = SyncItemOutcome.Skipped,
                    Reason = "not enough storage for this file",
                    Error = MediaCacheError.InsufficientSpace,
                    Bytes = item.EstimatedBytes,
                };
            }
        }

        fitted.Downloads.RemoveAll(leftOut.Contains);
        return (kept, leftOut.Count);
    }

    /// <summary>Before a large download over a metered network, asks the app; declined means left out.</summary>
    private async Task<string?> ConsentAsync(FittedPlan fitted, OfflineMediaOptions options, CancellationToken cancellationToken)
    {
        var needed = fitted.Downloads.Sum(d => d.EstimatedBytes);
        if (!options.ShowDataUsageWarnings || needed <= options.CellularWarningThresholdBytes || !SyncPolicy.IsMetered(connectivity.Current))
        {
            return null;
        }

        if (await consent.ConfirmAsync(new DataUsageRequest(fitted.Downloads.Count, needed), cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        foreach (var item in fitted.Downloads)
        {
            fitted.Settled[item.Key] = new SyncItemResult
            {
                Key = item.Key,
                Outcome = SyncItemOutcome.Skipped,
                Reason = "downloading over cellular was not confirmed",
                Bytes = item.EstimatedBytes,
            };
        }

        fitted.Downloads.Clear();
        return $"downloading {SyncReports.Mb(needed)} over cellular was not confirmed";
    }
}
