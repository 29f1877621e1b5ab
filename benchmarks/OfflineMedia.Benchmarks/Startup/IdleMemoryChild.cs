using System.Diagnostics;
using OfflineMedia.Benchmarks.Cache;
using OfflineMedia.Benchmarks.Sync;
using OfflineMedia.Cache;
using OfflineMedia.Variants;

namespace OfflineMedia.Benchmarks.Startup;

/// <summary>
/// The children of <see cref="IdleMemoryRun"/> (and the seed of <see cref="ColdStartRun"/>): an SDK host and nothing else
/// in the process (the origin serves from the parent), so its managed heap is the SDK's and the runtime's.
/// </summary>
internal static class IdleMemoryChild
{
    /// <summary>How long the host idles after its sync before it is measured: the disk flusher's second has passed, no batch is due.</summary>
    private static readonly TimeSpan s_idle = TimeSpan.FromSeconds(3);

    /// <summary>
    /// <c>seed</c>: fills an empty cache folder with <c>--entries</c> files through <see cref="IMediaCache.GetOrDownloadAsync"/>,
    /// 8 at once (12,500 exercises × 8 variants for 100,000, as <see cref="CacheFolder"/> names them), then syncs
    /// <c>--workout</c>, idles and measures; closes the cache cleanly.
    /// </summary>
    public static async Task<int> SeedAsync(ChildArguments args)
    {
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var image = new MediaSource(args["image-url"]);
        var video = new MediaSource(args["video-url"]);
        var host = new SdkSyncHost(new Uri(args["origin"]), args["dir"], 8);
        await using (host.ConfigureAwait(false))
        {
            await host.OpenAsync().ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, args.Int("entries")), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, token) =>
            {
                var key = CacheFolder.KeyOf(i);
                await host.Cache.GetOrDownloadAsync(key, key.Kind == MediaKind.Image ? image : video, cancellationToken: token).ConfigureAwait(false);
            }).ConfigureAwait(false);
            var fillMs = clock.Elapsed.TotalMilliseconds;

            clock.Restart();
            await host.SyncAsync(args["workout"], LargeCacheOrigin.ExercisesPerWorkout).ConfigureAwait(false);
            var syncMs = clock.Elapsed.TotalMilliseconds;
            var idle = await IdleThenMeasureAsync().ConfigureAwait(false);
            ChildProcess.Report([("fill_ms", fillMs), ("sync_ms", syncMs), ("baseline", baseline), .. idle]);
        }

        return 0;
    }

    /// <summary><c>idle</c>: a new host on the filled cache folder: opened, measured; <c>--workout</c> synced, idle, measured.</summary>
    public static async Task<int> IdleAsync(ChildArguments args)
    {
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var host = new SdkSyncHost(new Uri(args["origin"]), args["dir"], 4);
        await using (host.ConfigureAwait(false))
        {
            await host.OpenAsync().ConfigureAwait(false);
            var opened = GC.GetTotalMemory(forceFullCollection: true);
            var clock = Stopwatch.StartNew();
            await host.SyncAsync(args["workout"], LargeCacheOrigin.ExercisesPerWorkout).ConfigureAwait(false);
            var syncMs = clock.Elapsed.TotalMilliseconds;
            var idle = await IdleThenMeasureAsync().ConfigureAwait(false);
            ChildProcess.Report([("sync_ms", syncMs), ("baseline", baseline), ("opened", opened), .. idle]);
        }

        return 0;
    }

    private static async Task<(string, double)[]> IdleThenMeasureAsync()
    {
        await Task.Delay(s_idle).ConfigureAwait(false);
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        var info = GC.GetGCMemoryInfo();
        return [("heap", heap), ("heap_size", info.HeapSizeBytes), ("committed", info.TotalCommittedBytes), ("working_set", Environment.WorkingSet)];
    }
}
