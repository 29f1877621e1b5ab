using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace OfflineMedia.Benchmarks.Sync;

/// <summary>Adds the sync columns: throughput from the mean, and the peak memory recorded by <see cref="PeakMemory"/>.</summary>
internal abstract class SyncBenchmarkConfig : ManualConfig
{
    protected SyncBenchmarkConfig(int warmupCount, int iterationCount)
    {
        AddColumn(new ThroughputColumn());
        AddColumn(PeakMemoryColumn.Sampled, PeakMemoryColumn.AfterGc);
        this.AddOwnJob(RunStrategy.Monitoring, warmupCount, iterationCount);
    }
}

/// <summary>The sync columns and the job of <see cref="SyncThroughputBenchmarks"/> (see there for its counts).</summary>
internal sealed class SyncThroughputConfig() : SyncBenchmarkConfig(warmupCount: 15, iterationCount: 20);

/// <summary>The sync columns and the job of <see cref="SyncMemoryBenchmarks"/>.</summary>
internal sealed class SyncMemoryConfig() : SyncBenchmarkConfig(warmupCount: 1, iterationCount: 3);

/// <summary>MB/s (MiB per second) = the bytes one operation moves (its class's <c>BytesPerOperation</c>) / the mean.</summary>
internal sealed class ThroughputColumn : IColumn
{
    public string Id => nameof(ThroughputColumn);

    public string ColumnName => "MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Throughput: MiB moved per operation / mean time";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var bytes = BytesPerOperation(benchmarkCase);
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return bytes is null || mean is not > 0 ? "?" : (bytes.Value / 1024.0 / 1024.0 / (mean.Value / 1e9)).ToString("0.0", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    private static long? BytesPerOperation(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Descriptor.Type.GetField("BytesPerOperation")?.GetValue(null) is long bytes ? bytes : null;
}

/// <summary>A column of the peak managed memory the benchmark process recorded for a case (see <see cref="PeakMemory"/>).</summary>
internal sealed class PeakMemoryColumn(string name, string legend, Func<PeakMemory.Record, long> select) : IColumn
{
    public static readonly PeakMemoryColumn Sampled = new(
        "Peak heap",
        "Peak managed heap above the post-GC baseline, max over invocations (warmup included): GC.GetTotalMemory(false) sampled every ~1 ms and each GC's size on entry (live and not yet collected objects; origin included)",
        r => r.PeakBytes);

    public static readonly PeakMemoryColumn AfterGc = new(
        "Peak after GC",
        "Largest managed heap after a GC during the operation, above the baseline (what survived that GC); 0 when no GC ran or none left more than the baseline",
        r => r.PeakAfterGcBytes);

    public string Id => nameof(PeakMemoryColumn) + name;

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Size;

    public string Legend => legend;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var record = PeakMemory.Read(PeakMemory.KeyOf(benchmarkCase));
        return record is null ? "-" : (select(record) / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
    }

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => PeakMemory.Read(PeakMemory.KeyOf(c)) is not null);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
