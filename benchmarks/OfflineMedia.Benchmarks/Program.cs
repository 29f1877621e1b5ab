using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using OfflineMedia.Benchmarks.Cache;
using OfflineMedia.Benchmarks.Playback;
using OfflineMedia.Benchmarks.Startup;
using OfflineMedia.Benchmarks.Sync;

namespace OfflineMedia.Benchmarks;

/// <summary>
/// Runs the suites chosen on the command line, for example <c>--filter *VariantSelection*</c>; or, with
/// <c>--paired</c>, the sync of the SDK and of the practical limit in alternation (see <see cref="PairedSyncRun"/>); or,
/// with <c>--paired-small [--warmup N] [--rounds N] [--files N] [--latency MS]</c>, the same with many small files (see <see cref="PairedSmallFilesRun"/>); or,
/// with <c>--cold-start [--runs N] [--entries N] [--cache-dir DIR]</c>, the time from a new process to its first cached file (see
/// <see cref="ColdStartRun"/>); or, with <c>--idle-memory [--runs N] [--entries N] [--cache-dir DIR]</c>, the heap of an idle host with a
/// large cache (see <see cref="IdleMemoryRun"/>); or,
/// with <c>--paired-read-through</c>, a video read through the cache against a direct stream (see <see cref="Playback.PairedReadThroughRun"/>); or,
/// with <c>--paired-trim [--max-ratio R] [--max-wal-mb M]</c>, a trim against a plain delete of the same rows (see <see cref="PairedTrimRun"/>); or,
/// with <c>--paired-local-server [--warmup N] [--rounds N]</c>, range reads through the local media server against reading the file (see <see cref="PairedLocalServerRun"/>).
/// </summary>
/// <remarks>
/// Exits 1 when a selected benchmark failed (BenchmarkDotNet itself returns 0 when a set-up throws), when a filter
/// matched nothing, or, with <c>--max-allocated-bytes N</c>, when a benchmark allocated more than N bytes per operation
/// (measured by its <c>[MemoryDiagnoser]</c>). CI relies on these.
/// </remarks>
public static class Program
{
    public static int Main(string[] args)
    {
        // First, for the cold-start children: the time their Main was entered.
        var entered = Stopwatch.GetTimestamp();
        return args is ["--child", var mode, .. var rest] ? RunChild(mode, new ChildArguments(rest), entered) : RunAsync(args).GetAwaiter().GetResult();
    }

    /// <summary>The hidden modes of the child processes that <c>--cold-start</c> and <c>--idle-memory</c> start.</summary>
    private static int RunChild(string mode, ChildArguments arguments, long entered) => (mode switch
    {
        "cold-start" => ColdStartChild.RunAsync(arguments, entered),
        "seed" => IdleMemoryChild.SeedAsync(arguments),
        "idle" => IdleMemoryChild.IdleAsync(arguments),
        _ => throw new ArgumentException($"No child mode '{mode}'.", nameof(mode)),
    }).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--paired"])
        {
            await PairedSyncRun.RunAsync().ConfigureAwait(false);
            return 0;
        }

        if (args is ["--paired-read-through"])
        {
            await Playback.PairedReadThroughRun.RunAsync().ConfigureAwait(false);
            return 0;
        }

        if (args is ["--paired-small", ..])
        {
            var warmup = TakeOption(ref args, "--warmup");
            var rounds = TakeOption(ref args, "--rounds");
            var files = TakeOption(ref args, "--files");
            var latency = TakeOption(ref args, "--latency");
            await PairedSmallFilesRun.RunAsync(
                warmup is null ? PairedSmallFilesRun.DefaultWarmupRounds : int.Parse(warmup, CultureInfo.InvariantCulture),
                rounds is null ? PairedSmallFilesRun.DefaultMeasuredRounds : int.Parse(rounds, CultureInfo.InvariantCulture),
                files is null ? null : int.Parse(files, CultureInfo.InvariantCulture),
                latency is null ? 0 : int.Parse(latency, CultureInfo.InvariantCulture)).ConfigureAwait(false);
            return 0;
        }

        if (args is ["--paired-local-server", ..])
        {
            var warmup = TakeOption(ref args, "--warmup");
            var rounds = TakeOption(ref args, "--rounds");
            await PairedLocalServerRun.RunAsync(
                warmup is null ? PairedLocalServerRun.DefaultWarmupRounds : int.Parse(warmup, CultureInfo.InvariantCulture),
                rounds is null ? PairedLocalServerRun.DefaultMeasuredRounds : int.Parse(rounds, CultureInfo.InvariantCulture)).ConfigureAwait(false);
            return 0;
        }

        if (args is ["--cold-start", ..])
        {
            var runs = TakeOption(ref args, "--runs");
            var entries = TakeOption(ref args, "--entries");
            await ColdStartRun.RunAsync(
                runs is null ? ColdStartRun.DefaultRuns : int.Parse(runs, CultureInfo.InvariantCulture),
                entries is null ? CacheFolder.EntryCount : int.Parse(entries, CultureInfo.InvariantCulture),
                TakeOption(ref args, "--cache-dir")).ConfigureAwait(false);
            return 0;
        }

        if (args is ["--idle-memory", ..])
        {
            var runs = TakeOption(ref args, "--runs");
            var entries = TakeOption(ref args, "--entries");
            await IdleMemoryRun.RunAsync(
                runs is null ? IdleMemoryRun.DefaultRuns : int.Parse(runs, CultureInfo.InvariantCulture),
                entries is null ? CacheFolder.EntryCount : int.Parse(entries, CultureInfo.InvariantCulture),
                TakeOption(ref args, "--cache-dir")).ConfigureAwait(false);
            return 0;
        }

        if (args is ["--paired-trim", ..])
        {
            var maxRatio = TakeOption(ref args, "--max-ratio");
            var maxWal = TakeOption(ref args, "--max-wal-mb");
            return PairedTrimRun.Run(
                maxRatio is null ? null : double.Parse(maxRatio, CultureInfo.InvariantCulture),
                maxWal is null ? null : double.Parse(maxWal, CultureInfo.InvariantCulture));
        }

        var maxAllocated = TakeOption(ref args, "--max-allocated-bytes");
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args).ToArray();
        return Check(summaries, filtered: args.Contains("--filter"), maxAllocated is null ? null : long.Parse(maxAllocated, CultureInfo.InvariantCulture));
    }

    private static int Check(Summary[] summaries, bool filtered, long? maxAllocated)
    {
        var failures = new List<string>();
        if (filtered && summaries.Sum(static s => s.BenchmarksCases.Length) == 0)
        {
            failures.Add("The filter matched no benchmark.");
        }

        foreach (var summary in summaries)
        {
            if (summary.HasCriticalValidationErrors)
            {
                failures.Add($"{summary.Title}: the benchmarks failed validation.");
            }

            foreach (var benchmark in summary.BenchmarksCases)
            {
                var report = summary[benchmark];
                if (report is null || !report.Success || report.ResultStatistics is null)
                {
                    failures.Add($"{benchmark.DisplayInfo}: failed (see its output above).");
                    continue;
                }

                if (maxAllocated is { } max && report.GcStats.GetBytesAllocatedPerOperation(benchmark) is { } allocated && allocated > max)
                {
                    failures.Add($"{benchmark.DisplayInfo}: allocated {allocated} B per operation; the limit is {max} B.");
                }
            }
        }

        foreach (var failure in failures)
        {
            Console.Error.WriteLine(failure);
        }

        return failures.Count == 0 ? 0 : 1;
    }

    private static string? TakeOption(ref string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        if (at < 0 || at + 1 >= args.Length)
        {
            return null;
        }

        var value = args[at + 1];
        args = [.. args[..at], .. args[(at + 2)..]];
        return value;
    }
}
