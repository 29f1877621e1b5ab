using System.Diagnostics;
using System.Globalization;

namespace OfflineMedia.Benchmarks.Sync;

/// <summary>
/// The paired sync (<see cref="PairedSyncRun"/>) with many small files, where the SDK's cost per file rather than per byte
/// sets the pace: 2,000 files of 20 KiB and 500 of 200 KiB, each 4 and 8 at once, no added latency unless asked. Prints one markdown
/// row per case: median times, the median and quartiles of the per-round ratio (the SDK's throughput over the limit's),
/// the extra time per file, the SDK's planning (until its first media request), and, per file, the process's CPU time and
/// the bytes allocated during each side's measured syncs (process-wide: the origin serves in this process, so the limit's
/// figures are mostly the origin's and the HTTP client's share).
/// Run with <c>--paired-small [--warmup N] [--rounds N] [--files N] [--latency MS]</c>; <c>--files 2000</c> runs only the
/// cases of that many files; <c>--latency 20</c> adds 20 ms before every answer, the API's included, as a phone's round trip
/// would (the limit makes no API requests: it is given the media URLs). A third side, timed in the same rounds, is the limit
/// with the media-info requests the server contract needs before each file (<see cref="PracticalLimit.DownloadWithMediaInfoAsync"/>):
/// the SDK against it is the SDK's own cost, without the contract's.
/// </summary>
internal static class PairedSmallFilesRun
{
    /// <summary>Six: with three, the first case's measured rounds still spent 150–360 ms each compiling at tier 1 (JitInfo).</summary>
    public const int DefaultWarmupRounds = 6;
    public const int DefaultMeasuredRounds = 8;

    private static readonly (int Files, long FileBytes)[] s_sizes = [(2_000, 20 * 1024), (500, 200 * 1024)];

    public static async Task RunAsync(int warmupRounds, int measuredRounds, int? onlyFiles = null, int latencyMs = 0)
    {
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"Paired sync, small files: {latencyMs} ms added latency (media and API), {warmupRounds} warm-up and {measuredRounds} measured rounds "
            + "of one SDK sync, one practical-limit sync and one with the media-info requests each, which goes first turning.");
        Console.WriteLine();
        Console.WriteLine("| Files | Size | At once | SDK, median | Limit, median | SDK / limit, median round | Quartiles | SDK − limit per file | SDK until its first media request | CPU per file, SDK | CPU per file, limit | Allocated per file, SDK | Allocated per file, limit | Limit with media info, median | SDK / it, median round | Quartiles | CPU per file, it | Context switches per file, SDK / limit / it |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (files, fileBytes) in s_sizes.Where(size => onlyFiles is null || size.Files == onlyFiles))
        {
            foreach (var parallelism in (int[])[4, 8])
            {
                var result = await PairedSyncRun.MeasureAsync(new PairedSyncCase(files, fileBytes, latencyMs, parallelism, warmupRounds, measuredRounds, ApiLatencyMs: latencyMs, WithMediaInfoLimit: true)).ConfigureAwait(false);
                Console.WriteLine(Row(result));
            }
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Took {clock.Elapsed.TotalSeconds:0} s."));
    }

    private static string Row(PairedSyncResult r)
    {
        var sdk = PairedSyncResult.Median(r.SdkMs);
        var limit = PairedSyncResult.Median(r.LimitMs);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {r.Case.Files:N0} | {r.Case.FileBytes / 1024} KiB | {r.Case.Parallelism} | {sdk:N0} ms | {limit:N0} ms "
            + $"| {PairedSyncResult.Median(r.Ratios):0.00}× | {PairedSyncResult.Quantile(r.Ratios, 0.25):0.00}–{PairedSyncResult.Quantile(r.Ratios, 0.75):0.00}× "
            + $"| {(sdk - limit) / r.Case.Files:0.00} ms | {PairedSyncResult.Median(r.SdkUntilFirstMediaMs):N0} ms "
            + $"| {PairedSyncResult.Median(r.SdkCpuMs) / r.Case.Files:0.00} ms | {PairedSyncResult.Median(r.LimitCpuMs) / r.Case.Files:0.00} ms | {r.SdkAllocatedPerFile / 1024:N1} KiB | {r.LimitAllocatedPerFile / 1024:N1} KiB "
            + $"| {PairedSyncResult.Median(r.MediaInfoLimitMs):N0} ms | {PairedSyncResult.Median(r.MediaInfoRatios):0.00}× | {PairedSyncResult.Quantile(r.MediaInfoRatios, 0.25):0.00}–{PairedSyncResult.Quantile(r.MediaInfoRatios, 0.75):0.00}× "
            + $"| {PairedSyncResult.Median(r.MediaInfoLimitCpuMs) / r.Case.Files:0.00} ms "
            + $"| {PairedSyncResult.Median(r.SdkSwitches) / r.Case.Files:0.0} / {PairedSyncResult.Median(r.LimitSwitches) / r.Case.Files:0.0} / {PairedSyncResult.Median(r.MediaInfoLimitSwitches) / r.Case.Files:0.0} |");
    }
}
