using System.Diagnostics;
using System.Globalization;

namespace OfflineMedia.Benchmarks.Sync;

/// <summary>
/// The sync of <see cref="SyncThroughputBenchmarks"/>, the SDK and the practical limit measured in alternation, one of
/// each per round (which goes first alternates too), so the drift of a shared machine weighs on both alike.
/// BenchmarkDotNet measures one case after the other: there, whole cases shift by 10–20% over the minutes a run takes
/// (the same SDK code measured 196 and 254 ms in two runs back to back), more than the ratio being measured.
/// Reported per setting: the median time of each, and the median and spread (quartiles) of the per-round ratio of the
/// SDK's throughput to the limit's. Run with <c>--paired</c>; <see cref="PairedSmallFilesRun"/> runs it on other settings.
/// </summary>
internal static class PairedSyncRun
{
    private const int WarmupRounds = 15;
    private const int MeasuredRounds = 30;

    public static async Task RunAsync()
    {
        Console.WriteLine($"Paired sync: {SyncThroughputBenchmarks.Files} files of {SyncThroughputBenchmarks.FileBytes / 1024 / 1024} MiB, "
            + $"{WarmupRounds} warm-up and {MeasuredRounds} measured rounds of one SDK sync and one practical-limit sync each.");
        Console.WriteLine();
        Console.WriteLine("| Latency | Parallel | SDK, median | Limit, median | SDK / limit, median round | SDK / limit, quartiles |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var latency in (int[])[0, 50])
        {
            foreach (var parallelism in (int[])[4, 8])
            {
                var result = await MeasureAsync(new PairedSyncCase(
                    SyncThroughputBenchmarks.Files, SyncThroughputBenchmarks.FileBytes, latency, parallelism, WarmupRounds, MeasuredRounds)).ConfigureAwait(false);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {latency} ms | {parallelism} | {Median(result.SdkMs):0} ms | {Median(result.LimitMs):0} ms | {Median(result.Ratios):0.00}× | {Quantile(result.Ratios, 0.25):0.00}–{Quantile(result.Ratios, 0.75):0.00}× |"));
            }
        }
    }

    /// <summary>Runs the rounds of one setting, on its own origin and in its own temp folder.</summary>
    public static async Task<PairedSyncResult> MeasureAsync(PairedSyncCase setting)
    {
        await using var origin = await SyncOrigin.StartAsync(setting.Files, setting.FileBytes).ConfigureAwait(false);
        origin.SetLatency(setting.LatencyMs, setting.ApiLatencyMs);
        var root = Path.Combine(Path.GetTempPath(), "offlinemedia-bench-paired-" + Guid.NewGuid().ToString("N")[..12]);
        var result = new PairedSyncResult(setting);
        try
        {
            // Each round times every side once; which goes first turns with the rounds.
            var sides = setting.WithMediaInfoLimit ? 3 : 2;
            var times = new Timed[sides];
            for (var round = 0; round < setting.WarmupRounds + setting.MeasuredRounds; round++)
            {
                for (var turn = 0; turn < sides; turn++)
                {
                    var side = (round + turn) % sides;
                    times[side] = side switch
                    {
                        0 => await TimeSdkAsync(origin, root, setting.Parallelism).ConfigureAwait(false),
                        1 => await TimeLimitAsync(origin, root, setting.Parallelism, withMediaInfo: false).ConfigureAwait(false),
                        _ => await TimeLimitAsync(origin, root, setting.Parallelism, withMediaInfo: true).ConfigureAwait(false),
                    };
                }

                var (sdk, limit) = (times[0], times[1]);
                if (setting.WithMediaInfoLimit && round >= setting.WarmupRounds)
                {
                    result.MediaInfoLimitMs.Add(times[2].Ms);
                    result.MediaInfoRatios.Add(times[2].Ms / sdk.Ms);
                    result.MediaInfoLimitCpuMs.Add(times[2].CpuMs);
                    result.MediaInfoLimitSwitches.Add(times[2].Switches);
                }

                if (round >= setting.WarmupRounds)
                {
                    result.SdkMs.Add(sdk.Ms);
                    result.LimitMs.Add(limit.Ms);
                    result.Ratios.Add(limit.Ms / sdk.Ms);
                    result.SdkUntilFirstMediaMs.Add(sdk.UntilFirstMediaMs);
                    result.SdkCpuMs.Add(sdk.CpuMs);
                    result.LimitCpuMs.Add(limit.CpuMs);
                    result.SdkSwitches.Add(sdk.Switches);
                    result.LimitSwitches.Add(limit.Switches);
                    result.SdkAllocatedBytes += sdk.AllocatedBytes;
                    result.LimitAllocatedBytes += limit.AllocatedBytes;
                }
            }
        }
        finally
        {
            SyncThroughputBenchmarks.TryDelete(root);
        }

        return result;
    }

    /// <summary>As the <c>Sdk</c> benchmark: the host built and opened before the clock starts, closed after it stops.</summary>
    private static async Task<Timed> TimeSdkAsync(SyncOrigin origin, string root, int parallelism)
    {
        var directory = NewDirectory(root);
        var host = new SdkSyncHost(origin.BaseAddress, directory, parallelism);
        await host.OpenAsync().ConfigureAwait(false);
        Settle();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Environment.CpuUsage.TotalTime;
        var switches = ContextSwitches.Total();
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        await host.SyncAsync(SyncOrigin.WorkoutId, origin.FileCount).ConfigureAwait(false);
        var elapsed = new Timed(
            clock.Elapsed.TotalMilliseconds, GC.GetTotalAllocatedBytes(precise: true) - allocated, (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds, ContextSwitches.Total() - switches, UntilFirstMedia(origin, started));
        await host.DisposeAsync().ConfigureAwait(false);
        Finish(origin, directory);
        return elapsed;
    }

    private static async Task<Timed> TimeLimitAsync(SyncOrigin origin, string root, int parallelism, bool withMediaInfo)
    {
        var directory = NewDirectory(root);
        using var client = origin.Origin.CreateClient();
        Settle();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Environment.CpuUsage.TotalTime;
        var switches = ContextSwitches.Total();
        var clock = Stopwatch.StartNew();
        await (withMediaInfo
            ? PracticalLimit.DownloadWithMediaInfoAsync(client, origin.MediaInfoUris, SyncOrigin.Variant, directory, parallelism)
            : PracticalLimit.DownloadAsync(client, origin.MediaUris, directory, parallelism)).ConfigureAwait(false);
        var elapsed = new Timed(clock.Elapsed.TotalMilliseconds, GC.GetTotalAllocatedBytes(precise: true) - allocated, (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds, ContextSwitches.Total() - switches);
        Finish(origin, directory);
        return elapsed;
    }

    /// <summary>The SDK's planning (workout, media info of every exercise, plan saved, pins, fit): until the first media request arrived.</summary>
    private static double UntilFirstMedia(SyncOrigin origin, DateTimeOffset started) =>
        (origin.Origin.Requests.All.Where(static r => r.Path.StartsWith("/media/", StringComparison.Ordinal)).Min(static r => r.Timestamp) - started).TotalMilliseconds;

    private static string NewDirectory(string root)
    {
        var directory = Path.Combine(root, Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>What BenchmarkDotNet does between iterations: a full collection, so no run pays for the last one's garbage.</summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static void Finish(SyncOrigin origin, string directory)
    {
        origin.AssertAllFilesUnder(directory);
        origin.Origin.Requests.Clear();
        SyncThroughputBenchmarks.TryDelete(directory);
    }

    private static double Median(List<double> values) => PairedSyncResult.Median(values);

    private static double Quantile(List<double> values, double q) => PairedSyncResult.Quantile(values, q);

    private readonly record struct Timed(double Ms, long AllocatedBytes, double CpuMs, long Switches, double UntilFirstMediaMs = 0);
}
