using System.Diagnostics;
using System.Globalization;

namespace OfflineMedia.Benchmarks.Startup;

/// <summary>
/// The managed heap of an idle SDK host with a cache of <c>--entries</c> files (100,000 by default), after a sync, in
/// child processes that host the SDK and nothing else (<see cref="IdleMemoryChild"/>): the host that filled the cache
/// (through <see cref="OfflineMedia.Cache.IMediaCache.GetOrDownloadAsync"/>) and then synced a workout of 64 files, and
/// <c>--runs</c> new hosts that each open the filled cache and sync a workout of 64 new files. Each is measured after
/// 3 s idle with <c>GC.GetTotalMemory(true)</c> and <c>GC.GetGCMemoryInfo().HeapSizeBytes</c>. Target: at most 16 MB.
/// Run with <c>--idle-memory [--runs N] [--entries N] [--cache-dir DIR]</c>.
/// </summary>
internal static class IdleMemoryRun
{
    public const int DefaultRuns = 3;

    public static async Task RunAsync(int runs, int entries, string? cacheDirectory)
    {
        var clock = Stopwatch.StartNew();
        var origin = await LargeCacheOrigin.StartAsync(workouts: runs + 1).ConfigureAwait(false);
        await using (origin.ConfigureAwait(false))
        {
            using var cache = await LargeCache.CreateAsync(origin, entries, LargeCacheOrigin.WorkoutId(0), cacheDirectory).ConfigureAwait(false);
            var seedSeconds = clock.Elapsed.TotalSeconds;
            List<Dictionary<string, double>> fresh = [];
            for (var run = 1; run <= runs; run++)
            {
                fresh.Add(await ChildProcess.RunAsync(
                    "idle", "--dir", cache.Directory, "--origin", origin.Origin.BaseAddress.ToString(), "--workout", LargeCacheOrigin.WorkoutId(run)).ConfigureAwait(false));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Idle memory with a cache of {entries:N0} entries, after a sync of {LargeCacheOrigin.ExercisesPerWorkout} files and 3 s idle (MB = 10^6 bytes)."));
            Console.WriteLine();
            Console.WriteLine("| Host | Heap before the host | Heap, cache opened | Heap, idle after the sync | `HeapSizeBytes`, idle | Working set, idle | Sync |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            if (cache.Seed is { } seed)
            {
                Console.WriteLine(Row("filled the cache, then synced", seed));
            }

            for (var run = 0; run < fresh.Count; run++)
            {
                Console.WriteLine(Row($"new, opened the filled cache, then synced ({run + 1})", fresh[run]));
            }

            Console.WriteLine();
            Console.WriteLine(cache.Seed is { } filled
                ? string.Create(CultureInfo.InvariantCulture,
                    $"Filling the cache took {filled["fill_ms"] / 1000:0} s ({filled["fill_ms"] / entries:0.00} ms a file, 8 at once); the whole run {clock.Elapsed.TotalSeconds:0} s (the fill and its child {seedSeconds:0} s).")
                : string.Create(CultureInfo.InvariantCulture, $"Reused the cache in {cache.Directory}; the whole run {clock.Elapsed.TotalSeconds:0} s."));
        }
    }

    private static string Row(string label, Dictionary<string, double> r) => string.Create(CultureInfo.InvariantCulture,
        $"| {label} | {Mb(r["baseline"])} | {(r.TryGetValue("opened", out var opened) ? Mb(opened) : "")} | {Mb(r["heap"])} | {Mb(r["heap_size"])} | {Mb(r["working_set"])} | {r["sync_ms"]:0} ms |");

    private static string Mb(double bytes) => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
}
