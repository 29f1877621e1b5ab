using System.Diagnostics;
using System.Globalization;

namespace OfflineMedia.Benchmarks.Sync;

/// <summary>
/// The sync of <see cref="SyncThroughputBenchmarks"/>, the SDK and the practical limit measured in alternation, one of
/// each per round (which goes first alternates too), so the drift of a shared machine weighs on both alike.
/// BenchmarkDotNet measures one case after the other: there, whole cases shift by 10–20% over the minutes a run takes
/// (the same SDK code measured 196 and 254 ms in two runs back to back), more than the ratio being measured.
/// Reported per setting: the median time of each, and the median and spread (quartiles) of the per-round ratio of the
/// SDK's throughput to the limit's. Run with <c>--paired</c>.
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
                var (sdk, limit, ratios) = await MeasureAsync(latency, parallelism).ConfigureAwait(false);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {latency} ms | {parallelism} | {Median(sdk):0} ms | {Median(limit):0} ms | {Median(ratios):0.00}× | {Quantile(ratios, 0.25):0.00}–{Quantile(ratios, 0.75):0.00}× |"));
            }
        }
    }

    private static async Task<(List<double> Sdk, List<double> Limit, List<double> Ratios)> MeasureAsync(int latency, int parallelism)
    {
        await using var origin = await SyncOrigin.StartAsync(SyncThroughputBenchmarks.Files, SyncThroughputBenchmarks.FileBytes).ConfigureAwait(false);
        origin.SetMediaLatency(latency);
        var root = Path.Combine(Path.GetTempPath(), "offlinemedia-bench-paired-" + Guid.NewGuid().ToString("N")[..12]);
        List<double> sdk = [], limit = [], ratios = [];
        try
        {
            for (var round = 0; round < WarmupRounds + MeasuredRounds; round++)
            {
                double sdkMs, limitMs;
                if (round % 2 == 0)
                {
                    sdkMs = await TimeSdkAsync(origin, root, parallelism).ConfigureAwait(false);
                    limitMs = await TimeLimitAsync(origin, root, parallelism).ConfigureAwait(false);
                }
                else
                {
                    limitMs = await TimeLimitAsync(origin, root, parallelism).ConfigureAwait(false);
                    sdkMs = await TimeSdkAsync(origin, root, parallelism).ConfigureAwait(false);
                }

                if (round >= WarmupRounds)
                {
                    sdk.Add(sdkMs);
                    limit.Add(limitMs);
                    ratios.Add(limitMs / sdkMs);
                }
            }
        }
        finally
        {
            SyncThroughputBenchmarks.TryDelete(root);
        }

        return (sdk, limit, ratios);
    }

    /// <summary>As the <c>Sdk</c> benchmark: the host built and opened before the clock starts, closed after it stops.</summary>
    private static async Task<double> TimeSdkAsync(SyncOrigin origin, string root, int parallelism)
    {
        var directory = NewDirectory(root);
        var host = new SdkSyncHost(origin.BaseAddress, directory, parallelism);
        await host.OpenAsync().ConfigureAwait(false);
        Settle();
        var clock = Stopwatch.StartNew();
        await host.SyncAsync(SyncOrigin.WorkoutId, SyncThroughputBenchmarks.Files).ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        await host.DisposeAsync().ConfigureAwait(false);
        Finish(origin, directory);
        return elapsed;
    }

    private static async Task<double> TimeLimitAsync(SyncOrigin origin, string root, int parallelism)
    {
        var directory = NewDirectory(root);
        using var client = origin.Origin.CreateClient();
        Settle();
        var clock = Stopwatch.StartNew();
        await PracticalLimit.DownloadAsync(client, origin.MediaUris, directory, parallelism).ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        Finish(origin, directory);
        return elapsed;
    }

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

    private static double Median(List<double> values) => Quantile(values, 0.5);

    private static double Quantile(List<double> values, double q)
    {
        var sorted = values.Order().ToList();
        var position = q * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}
