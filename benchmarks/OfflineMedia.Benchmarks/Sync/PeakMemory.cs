using System.Globalization;
using BenchmarkDotNet.Running;

namespace OfflineMedia.Benchmarks.Sync;

/// <summary>
/// Peak managed memory during one benchmark invocation, which BenchmarkDotNet's <c>MemoryDiagnoser</c> does not
/// give (it counts allocated bytes, not what the heap held at once).
/// </summary>
/// <remarks>
/// <para><see cref="Start"/> (in <c>[IterationSetup]</c>, untimed) runs a blocking, compacting full GC and takes
/// the baseline, then a dedicated thread samples until <see cref="Stop"/> (in <c>[IterationCleanup]</c>): every
/// ~1 ms <c>GC.GetTotalMemory(false)</c> (bytes allocated and not yet collected, live or dead), and after each GC
/// that happened since the last sample, <c>GC.GetGCMemoryInfo()</c>: the heap's size on entry to that GC (the
/// sum of the generations' <c>SizeBeforeBytes</c>: the true high point just before a collection) and its size
/// after (<c>HeapSizeBytes</c>: what survived). Peaks are reported above the baseline, max over every
/// invocation of the case (warmup included).</para>
/// <para>The fake origin runs in the same process, so its own allocations (Kestrel's pooled blocks, 64 KB
/// chunks) are in every figure: they are conservative for the client measured.</para>
/// <para>Each benchmark process writes its cases to <c>{temp}/offlinemedia-bench-sync/</c>; the host's columns
/// read them back (records older than the run are ignored).</para>
/// </remarks>
internal static class PeakMemory
{
    private static readonly string s_directory = Path.Combine(Path.GetTempPath(), "offlinemedia-bench-sync");
    private static readonly Dictionary<string, Record> s_records = new(StringComparer.Ordinal);
    private static Sampler? s_sampler;

    public static void Start()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        s_sampler = new Sampler();
    }

    /// <summary>Stops sampling and folds this invocation into the case's record (printed, and written for the host's columns).</summary>
    public static Record Stop(string key)
    {
        var sampler = s_sampler ?? throw new InvalidOperationException("PeakMemory.Start was not called.");
        s_sampler = null;
        var (peak, peakAfterGc) = sampler.Stop();
        var record = s_records.TryGetValue(key, out var previous)
            ? new Record(Math.Max(previous.PeakBytes, peak), Math.Max(previous.PeakAfterGcBytes, peakAfterGc), previous.Invocations + 1, DateTimeOffset.UtcNow)
            : new Record(peak, peakAfterGc, 1, DateTimeOffset.UtcNow);
        s_records[key] = record;

        Directory.CreateDirectory(s_directory);
        File.WriteAllText(PathOf(key), string.Create(CultureInfo.InvariantCulture,
            $"{record.PeakBytes} {record.PeakAfterGcBytes} {record.Invocations} {record.WrittenAt.ToUnixTimeMilliseconds()}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// PeakMemory {key}: this invocation peak {peak / 1048576.0:0.0} MB, after GC {peakAfterGc / 1048576.0:0.0} MB; case max {record.PeakBytes / 1048576.0:0.0} MB / {record.PeakAfterGcBytes / 1048576.0:0.0} MB over {record.Invocations} invocations"));
        return record;
    }

    public static string KeyOf(string type, string method, params (string Name, object Value)[] parameters) =>
        type + "." + method + "(" + string.Join(",", parameters.OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + Convert.ToString(p.Value, CultureInfo.InvariantCulture))) + ")";

    public static string KeyOf(BenchmarkCase benchmarkCase) => KeyOf(
        benchmarkCase.Descriptor.Type.Name,
        benchmarkCase.Descriptor.WorkloadMethod.Name,
        [.. benchmarkCase.Parameters.Items.Select(p => (p.Name, p.Value))]);

    /// <summary>Reads a case's record as the benchmark process last wrote it; null when missing or older than an hour (another run's).</summary>
    public static Record? Read(string key)
    {
        try
        {
            var parts = File.ReadAllText(PathOf(key)).Split(' ');
            var record = new Record(
                long.Parse(parts[0], CultureInfo.InvariantCulture),
                long.Parse(parts[1], CultureInfo.InvariantCulture),
                int.Parse(parts[2], CultureInfo.InvariantCulture),
                DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[3], CultureInfo.InvariantCulture)));
            return DateTimeOffset.UtcNow - record.WrittenAt < TimeSpan.FromHours(1) ? record : null;
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Deletes a case's record, so a case that fails before it measures shows nothing rather than an old figure.</summary>
    public static void Reset(string key)
    {
        s_records.Remove(key);
        if (File.Exists(PathOf(key)))
        {
            File.Delete(PathOf(key));
        }
    }

    private static string PathOf(string key)
    {
        var safe = string.Concat(key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '=' or ',' or '-' ? c : '_'));
        return Path.Combine(s_directory, safe + ".txt");
    }

    /// <summary>A case's peaks above the baseline, in bytes.</summary>
    internal sealed record Record(long PeakBytes, long PeakAfterGcBytes, int Invocations, DateTimeOffset WrittenAt);

    private sealed class Sampler
    {
        private readonly long _baselineAllocated;
        private readonly long _baselineHeap;
        private readonly Thread _thread;
        private volatile bool _stopping;
        private long _peakAllocated;
        private long _peakHeap;
        private long _peakAfterGc;
        private int _lastGcIndex;

        public Sampler()
        {
            _baselineAllocated = GC.GetTotalMemory(forceFullCollection: false);
            var info = GC.GetGCMemoryInfo(GCKind.Any);
            _baselineHeap = info.HeapSizeBytes;
            _lastGcIndex = (int)info.Index;
            _peakAllocated = _baselineAllocated;
            _peakHeap = _baselineHeap;
            _peakAfterGc = _baselineHeap;
            _thread = new Thread(Run) { IsBackground = true, Name = "PeakMemory sampler", Priority = ThreadPriority.AboveNormal };
            _thread.Start();
        }

        public (long Peak, long PeakAfterGc) Stop()
        {
            _stopping = true;
            _thread.Join();
            Sample();
            var peak = Math.Max(_peakAllocated - _baselineAllocated, _peakHeap - _baselineHeap);
            return (Math.Max(0, peak), Math.Max(0, _peakAfterGc - _baselineHeap));
        }

        private void Run()
        {
            while (!_stopping)
            {
                Sample();
                Thread.Sleep(1);
            }
        }

        private void Sample()
        {
            _peakAllocated = Math.Max(_peakAllocated, GC.GetTotalMemory(forceFullCollection: false));
            var info = GC.GetGCMemoryInfo(GCKind.Any);
            if (info.Index != _lastGcIndex)
            {
                _lastGcIndex = (int)info.Index;
                long before = 0;
                foreach (var generation in info.GenerationInfo)
                {
                    before += generation.SizeBeforeBytes;
                }

                _peakHeap = Math.Max(_peakHeap, before);
                _peakAfterGc = Math.Max(_peakAfterGc, info.HeapSizeBytes);
            }
        }
    }
}
