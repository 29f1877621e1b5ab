using BenchmarkDotNet.Attributes;

namespace OfflineMedia.Benchmarks.Sync;

/// <summary>
/// A sync of one workout of 64 exercises, one 2 MiB video each (128 MiB), from the loopback fake origin, with
/// <see cref="LatencyMs"/> added before every media response. Three ways: the SDK
/// (<c>ISyncScheduler.SyncWorkoutAsync</c>), the practical limit (<see cref="PracticalLimit"/>: parallel streams
/// into files, nothing else; and the same with each file flushed to disk, the limit of a durable sync) and the
/// naive approach (<see cref="NaiveOfflineMediaService"/>: sequential, a new
/// HttpClient and a buffered GetAsync per file). Every invocation starts from an empty folder.
/// Targets: the SDK at least 0.9× the limit's throughput; at least 3× the naive approach's at 50 ms.
/// </summary>
/// <remarks>
/// Fifteen warm-up iterations: a fresh process spends 100–500 ms of JIT time in each of its first 12–15 syncs of this
/// size (measured with <c>JitInfo</c>: hundreds of methods per sync promoted by tiered compilation), which with two
/// warm-ups fell inside the SDK's measured iterations and made them trend down by 10% from first to last. Twenty
/// iterations, as single syncs vary by ±10% on this shared two-core machine.
/// </remarks>
[Config(typeof(SyncThroughputConfig))]
[MemoryDiagnoser]
public class SyncThroughputBenchmarks
{
    public const int Files = 64;
    public const long FileBytes = 2L * 1024 * 1024;

    /// <summary>The bytes one operation moves, read by the MB/s column.</summary>
    public const long BytesPerOperation = Files * FileBytes;

    private SyncOrigin _origin = null!;
    private string _root = null!;
    private string _directory = null!;
    private SdkSyncHost? _sdk;
    private HttpClient? _client;

    /// <summary>Gets or sets the latency the origin adds before each media response, in milliseconds.</summary>
    [Params(0, 50)]
    public int LatencyMs { get; set; }

    /// <summary>Gets or sets the SDK's <c>MaxParallelDownloads</c>, and the limit's parallelism (the naive approach is sequential).</summary>
    [Params(4, 8)]
    public int Parallelism { get; set; }

    [GlobalSetup]
    public async Task GlobalSetup()
    {
        _origin = await SyncOrigin.StartAsync(Files, FileBytes);
        _origin.SetLatency(LatencyMs);
        _root = Path.Combine(Path.GetTempPath(), "offlinemedia-bench-sync-" + Guid.NewGuid().ToString("N")[..12]);
    }

    [GlobalCleanup]
    public async Task GlobalCleanup()
    {
        await _origin.DisposeAsync();
        TryDelete(_root);
    }

    [IterationSetup(Targets = [nameof(Sdk), nameof(SdkUntilOnDisk)])]
    public void SetupSdk()
    {
        NewDirectory();
        _sdk = new SdkSyncHost(_origin.BaseAddress, _directory, Parallelism);
        _sdk.OpenAsync().GetAwaiter().GetResult();
    }

    [IterationSetup(Targets = [nameof(PracticalLimit), nameof(PracticalLimitFlushed), nameof(Naive)])]
    public void SetupClient()
    {
        NewDirectory();
        _client = _origin.Origin.CreateClient();
    }

    [IterationCleanup]
    public void Cleanup()
    {
        _sdk?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _sdk = null;
        _client?.Dispose();
        _client = null;
        _origin.AssertAllFilesUnder(_directory);
        _origin.Origin.Requests.Clear();
        TryDelete(_directory);
    }

    [Benchmark]
    public Task Sdk() => _sdk!.SyncAsync(SyncOrigin.WorkoutId, Files);

    /// <summary>
    /// The SDK's sync, then its cache closed, which flushes to disk every file not yet flushed: the time until all of
    /// it is durable, to compare with <see cref="PracticalLimitFlushed"/>. (A sync returns once its files are verified,
    /// in place and indexed; each is flushed about a second after its commit, see <c>DiskFlusher</c>.)
    /// </summary>
    [Benchmark]
    public async Task SdkUntilOnDisk()
    {
        await _sdk!.SyncAsync(SyncOrigin.WorkoutId, Files);
        await _sdk.DisposeAsync();
        _sdk = null;
    }

    [Benchmark(Baseline = true)]
    public Task PracticalLimit() => Sync.PracticalLimit.DownloadAsync(_client!, _origin.MediaUris, _directory, Parallelism);

    /// <summary>The limit with each file flushed to disk when complete: what durability alone costs.</summary>
    [Benchmark]
    public Task PracticalLimitFlushed() => Sync.PracticalLimit.DownloadAsync(_client!, _origin.MediaUris, _directory, Parallelism, flushToDisk: true);

    [Benchmark]
    public async Task Naive()
    {
        var service = new NaiveOfflineMediaService(_client!, _directory);
        await service.SyncWorkoutMedia(SyncOrigin.WorkoutId);
        if (service.Failures > 0)
        {
            throw new InvalidOperationException($"The naive sync failed for {service.Failures} exercises.");
        }
    }

    internal static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a benchmark for.
        }
    }

    private void NewDirectory()
    {
        _directory = Path.Combine(_root, Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_directory);
    }
}
