namespace OfflineMedia.Benchmarks.Sync;

/// <summary>
/// The measured rounds of a <see cref="PairedSyncCase"/>: each round's time of the SDK and of the limit, their ratio
/// (the limit's time over the SDK's: the SDK's throughput over the limit's), and the bytes allocated, process-wide, during
/// the measured syncs of each (the origin serves in the same process, so both include its allocations).
/// </summary>
internal sealed class PairedSyncResult(PairedSyncCase setting)
{
    public PairedSyncCase Case { get; } = setting;

    public List<double> SdkMs { get; } = [];

    public List<double> LimitMs { get; } = [];

    public List<double> Ratios { get; } = [];

    /// <summary>Gets, per round, the time of the limit with the media-info requests, when the case asks for it.</summary>
    public List<double> MediaInfoLimitMs { get; } = [];

    /// <summary>Gets, per round, that limit's time over the SDK's: the SDK's throughput against what the server contract allows.</summary>
    public List<double> MediaInfoRatios { get; } = [];

    /// <summary>Gets, per round, the process's CPU time during that limit's sync.</summary>
    public List<double> MediaInfoLimitCpuMs { get; } = [];

    /// <summary>Gets, per round, the time from the SDK's sync start to the first media request the origin received: its planning.</summary>
    public List<double> SdkUntilFirstMediaMs { get; } = [];

    public long SdkAllocatedBytes { get; set; }

    public long LimitAllocatedBytes { get; set; }

    /// <summary>Gets, per round, the process's CPU time (all threads, user and kernel, the origin's included) during the SDK's sync.</summary>
    public List<double> SdkCpuMs { get; } = [];

    /// <summary>Gets, per round, the process's CPU time during the limit's sync.</summary>
    public List<double> LimitCpuMs { get; } = [];

    /// <summary>Gets, per round, the process's context switches during the SDK's sync (<see cref="ContextSwitches"/>).</summary>
    public List<double> SdkSwitches { get; } = [];

    /// <summary>Gets, per round, the process's context switches during the limit's sync.</summary>
    public List<double> LimitSwitches { get; } = [];

    /// <summary>Gets, per round, the process's context switches during the sync of the limit with the media-info requests.</summary>
    public List<double> MediaInfoLimitSwitches { get; } = [];

    public double SdkAllocatedPerFile => (double)SdkAllocatedBytes / (Case.Files * Case.MeasuredRounds);

    public double LimitAllocatedPerFile => (double)LimitAllocatedBytes / (Case.Files * Case.MeasuredRounds);

    public static double Median(List<double> values) => Quantile(values, 0.5);

    public static double Quantile(List<double> values, double q)
    {
        var sorted = values.Order().ToList();
        var position = q * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}
