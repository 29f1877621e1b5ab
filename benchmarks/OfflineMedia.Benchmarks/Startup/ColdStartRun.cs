using System.Diagnostics;
using System.Globalization;
using OfflineMedia.Benchmarks.Cache;
using OfflineMedia.Benchmarks.Sync;

namespace OfflineMedia.Benchmarks.Startup;

/// <summary>
/// From a new process to the first local path, over a cache of <c>--entries</c> files (100,000 by default): the cache is
/// filled once through the SDK (<see cref="LargeCache"/>), then child processes (<see cref="ColdStartChild"/>) start a
/// console app's generic host without the SDK, with it, with it and a first <see cref="Resolution.IMediaSourceResolver"/>
/// lookup (at once, and a first screen's build later), and with it and a first <see cref="OfflineMedia.Cache.IMediaCache.TryGetAsync"/>, in turn, one warm-up round
/// and <c>--runs</c> measured rounds. Reports medians; the figure that matters is the first lookup on top of the host's
/// own start (target: at most 50 ms). Two more children build a service provider with no host, as a MAUI app has, and
/// resolve a first screen's build later: without a warm-up, and with <c>WarmUpOfflineMedia</c>. Run with <c>--cold-start [--runs N] [--entries N] [--cache-dir DIR]</c>.
/// </summary>
internal static class ColdStartRun
{
    public const int DefaultRuns = 10;

    private static readonly string[] s_modes = ["bare", "sdk", "resolve", "tryget", "resolve-later", "provider-later", "provider-warm-later"];

    public static async Task RunAsync(int runs, int entries, string? cacheDirectory)
    {
        var clock = Stopwatch.StartNew();
        LargeCache cache;
        var origin = await LargeCacheOrigin.StartAsync(workouts: 1).ConfigureAwait(false);
        await using (origin.ConfigureAwait(false))
        {
            cache = await LargeCache.CreateAsync(origin, entries, LargeCacheOrigin.WorkoutId(0), cacheDirectory).ConfigureAwait(false);
        }

        using (cache)
        {
            var seedSeconds = clock.Elapsed.TotalSeconds;
            var exercise = CacheFolder.ExerciseId(entries / 8 / 2); // One in the middle of the filled cache (see CacheFolder.KeyOf).
            var second = CacheFolder.ExerciseId((entries / 8 / 2) + 1);
            var results = s_modes.ToDictionary(static m => m, static _ => new List<Dictionary<string, double>>(), StringComparer.Ordinal);
            for (var round = 0; round <= runs; round++)
            {
                // Modes in turn, starting one later each round, so no mode always follows the same one.
                for (var i = 0; i < s_modes.Length; i++)
                {
                    var mode = s_modes[(round + i) % s_modes.Length];
                    var result = await ChildProcess.RunAsync("cold-start", "--mode", mode, "--dir", cache.Directory, "--exercise", exercise, "--second", second).ConfigureAwait(false);
                    if (round > 0)
                    {
                        results[mode].Add(result);
                    }
                }
            }

            Print(results, entries, runs, cache.Seed is null ? null : seedSeconds, clock.Elapsed.TotalSeconds);
        }
    }

    private static void Print(Dictionary<string, List<Dictionary<string, double>>> results, int entries, int runs, double? seedSeconds, double totalSeconds)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Cold start over a cache of {entries:N0} entries: {runs} runs of each child process after one warm-up round; medians, in ms from the parent's start request."));
        Console.WriteLine();
        Console.WriteLine("| Child process | Main entered | Host built | Host started | First local path | First path after host started | The first lookup itself | JIT in it | Second lookup |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (mode, label) in (ReadOnlySpan<(string, string)>)[
            ("bare", "generic host, no SDK"), ("sdk", "with `AddOfflineMedia`"), ("resolve", "with it, then `ResolveAsync`"), ("tryget", "with it, then `TryGetAsync`"),
            ("resolve-later", $"with it, then `ResolveAsync` {ColdStartChild.ScreenDelayMs} ms later"),
            ("provider-later", $"service provider, no host (as MAUI), `ResolveAsync` {ColdStartChild.ScreenDelayMs} ms later"),
            ("provider-warm-later", $"… after `WarmUpOfflineMedia()`")])
        {
            var rows = results[mode];
            var first = mode is not ("bare" or "sdk");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {Median(rows, "main"):0} | {Median(rows, "built"):0} | {Median(rows, "started"):0} | {(first ? $"{Median(rows, "first"):0}" : "")} "
                + $"| {(first ? $"{PairedSyncResult.Median([.. rows.Select(static r => r["first"] - r["started"])]):0.0}" : "")} | {(first ? $"{Median(rows, "lookup"):0.0}" : "")} "
                + $"| {(first ? $"{Median(rows, "first_jit_ms"):0} ms, {Median(rows, "first_jit_methods"):0} methods" : "")} | {(first ? $"{Median(rows, "second"):0.00}" : "")} |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"The SDK's share of the host's start (median started, with it − without it): {Median(results["sdk"], "started") - Median(results["bare"], "started"):0} ms."));
        Console.WriteLine(seedSeconds is { } seed
            ? string.Create(CultureInfo.InvariantCulture, $"Filling the cache took {seed:0} s; the whole run {totalSeconds:0} s.")
            : string.Create(CultureInfo.InvariantCulture, $"Reused the filled cache; the whole run {totalSeconds:0} s."));
    }

    private static double Median(List<Dictionary<string, double>> rows, string figure) => PairedSyncResult.Median([.. rows.Select(r => r[figure])]);
}
