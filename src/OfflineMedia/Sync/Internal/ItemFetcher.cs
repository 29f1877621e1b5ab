using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;
using OfflineMedia.Diagnostics;
using OfflineMedia.Profiles;
using OfflineMedia.Storage;
using OfflineMedia.Storage.Internal;
using Polly;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// Runs a sync's transfers: <c>MaxParallelDownloads</c> at once, twice as many files under way (a file takes its slot only
/// for its transfer: not while its lease is taken, nor while it is moved into place and indexed); each file through the retry policy;
/// pausing while the allowed network is gone; within the sync's time limit.
/// </summary>
internal sealed class ItemFetcher(
    IMediaCache cache,
    IMediaDownloads downloads,
    IConnectivityProbe connectivity,
    OfflineMediaEvents events,
    IOptions<DownloadRetryOptions> retryOptions,
    TimeProvider time,
    ILogger<ItemFetcher> logger)
{
    /// <summary>Opens the shared parts of one sync's transfers; <paramref name="started"/> counts its time limit.</summary>
    public FetchRun Open(OfflineMediaOptions options, bool explicitRequest, DateTimeOffset started, ProgressTracker tracker)
    {
        var remaining = options.SyncTimeout is { } timeout
            ? TimeSpan.FromTicks(Math.Max((started + timeout - time.GetUtcNow()).Ticks, 0))
            : Timeout.InfiniteTimeSpan;
        return new FetchRun(
            connectivity, options, explicitRequest, remaining, time, tracker, new DownloadRetry(options, retryOptions.Value, time, logger),
            new HostBackoff(time, options.MaxRetryAfter, logger));
    }

    /// <summary>
    /// Fetches each of <paramref name="transfers"/> as it comes (downloaded, or revalidated when so marked), calling
    /// <paramref name="finished"/> with each file's result as it ends.
    /// </summary>
    public Task RunAsync(
        FetchRun run, IAsyncEnumerable<(PlannedItem Item, bool Revalidate)> transfers, Action<PlannedItem, SyncItemResult> finished, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            transfers,
            new ParallelOptions { MaxDegreeOfParallelism = 2 * run.Options.MaxParallelDownloads, CancellationToken = cancellationToken },
            async (transfer, token) => finished(transfer.Item, await FetchAsync(run, transfer.Item, transfer.Revalidate, token).ConfigureAwait(false)));

    /// <summary>
    /// One file, within the sync's time limit: when it passes, the file is reported failed with that reason and its
    /// partial file stays for the next sync. The caller's cancel ends the sync.
    /// </summary>
    internal async Task<SyncItemResult> FetchAsync(FetchRun run, PlannedItem item, bool revalidate, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, run.Deadline);
        var tries = new ItemTries(item, run.Tracker.For(item));
        var context = ResilienceContextPool.Shared.Get(stop.Token);
        context.Properties.Set(ItemTries.Key, tries);
        try
        {
            var before = revalidate ? await cache.TryGetAsync(item.Key, stop.Token).ConfigureAwait(false) : null;
            var file = new FileFetch(run, tries, before, revalidate, HostBackoff.ServerOf(item.Source.Url, run.Options.ApiBaseAddress), cancellationToken);
            return await run.Retry.Pipeline.ExecuteAsync(
                static (context, state) => state.Fetcher.TryOnceAsync(state.File, context.CancellationToken),
                context,
                (Fetcher: this, File: file)).ConfigureAwait(false);
        }
        catch (Exception ex) when (run.Classify(ex, cancellationToken, tries.Lost) is { } end)
        {
            cancellationToken.ThrowIfCancellationRequested(); // The caller's cancel ends the sync, whatever the try threw.
            return end == TryEnd.Timeout ? TimedOut(item, run.Options.SyncTimeout.GetValueOrDefault()) : Failed(item, tries, ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// One try: waits for the allowed network (without spending a try), and downloads; the cache takes the try's transfer
    /// slot (<see cref="TrySlot"/>, after any pause its server asked for) once it holds the file's lease, and gives it back
    /// when the body is in, or the try's end does. How it ended is classified here, once; a <c>Retry-After</c> in it pauses
    /// the server for the rest of the sync.
    /// </summary>
    private async ValueTask<SyncItemResult> TryOnceAsync(FileFetch file, CancellationToken cancellationToken)
    {
        var (run, tries) = (file.Run, file.Tries);
        var item = tries.Item;
        if (!run.Gate.IsAllowed && !await PauseAsync(run, item, cancellationToken).ConfigureAwait(false))
        {
            return new SyncItemResult
            {
                Key = item.Key,
                Outcome = SyncItemOutcome.Skipped,
                Reason = $"the allowed network did not come back within {run.Options.SyncPauseTimeout}; the next sync resumes",
                Bytes = item.EstimatedBytes,
            };
        }

        using var slot = new TrySlot(run, file.Server, item.Key);
        tries.Start(run.Gate.Lost);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, tries.Lost);
        try
        {
            var media = file.Revalidate
                ? await downloads.RevalidateAsync(item.Key, item.Source, tries, slot, linked.Token).ConfigureAwait(false)
                : await downloads.GetOrDownloadAsync(item.Key, item.Source, tries, slot, linked.Token).ConfigureAwait(false);
            var unchanged = file.Before is not null && SameContent(file.Before, media);
            return SyncReports.Succeeded(item, media, unchanged ? SyncItemOutcome.Cached : SyncItemOutcome.Downloaded);
        }
        catch (Exception ex) when (run.Classify(ex, file.Caller, tries.Lost) is { } end)
        {
            tries.Ended(end, ex);
            run.Backoff.Record(file.Server, ex);
            throw;
        }
    }

    /// <summary>Waits for the allowed network to come back, up to <c>SyncPauseTimeout</c>; false when it did not.</summary>
    private async Task<bool> PauseAsync(FetchRun run, PlannedItem item, CancellationToken cancellationToken)
    {
        run.Tracker.SetPaused(true);
        events.SetState(SyncState.Paused);
        Log.SyncPaused(logger, item.Key);
        var back = await run.Gate.WaitAsync(run.Options.SyncPauseTimeout, time, cancellationToken).ConfigureAwait(false);
        run.Tracker.SetPaused(false);
        events.SetState(SyncState.Running);
        return back;
    }

    private SyncItemResult TimedOut(PlannedItem item, TimeSpan timeout)
    {
        Log.SyncTimedOut(logger, item.Key, timeout);
        return SyncReports.FailedItem(
            item, $"the sync reached its time limit (SyncTimeout, {timeout}) before this file was done; what it has is kept and the next sync resumes");
    }

    private static SyncItemResult Failed(PlannedItem item, ItemTries tries, Exception error) =>
        SyncReports.FailedItem(item, tries.FinalReason ?? error.Message, (error as MediaCacheException)?.Error ?? MediaCacheError.Network);

    /// <summary>
    /// Whether a revalidated file is the one that was cached: the same size and validators, and the same digest
    /// when both have one. A 304 keeps all of them; a changed file has a new validator or size from any
    /// server that sends validators (a server that sends none cannot be asked, so every check downloads).
    /// </summary>
    private static bool SameContent(CachedMedia before, CachedMedia after) =>
        before.Bytes == after.Bytes
        && before.ETag == after.ETag
        && before.LastModified == after.LastModified
        && (before.Sha256 is null || after.Sha256 is null || before.Sha256 == after.Sha256);

    /// <summary>One file's fetch: what each of its tries needs.</summary>
    private sealed record FileFetch(FetchRun Run, ItemTries Tries, CachedMedia? Before, bool Revalidate, string? Server, CancellationToken Caller);
}
