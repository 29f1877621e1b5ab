using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace OfflineMedia.Benchmarks.Sync;

/// <summary>
/// A sync of one workout of 64 exercises, one 2 MiB video each (128 MiB), from the loopback fake origin, with
/// <see cref="LatencyMs"/> added before every media response. Three ways: the SDK
/// (<c>ISyncScheduler.SyncWorkoutAsync</c>), the practical limit (<see cref="PracticalLimit"/>: parallel streams
/// into files, nothing else; and the same with each file flushed to disk, the limit of a durable sync) and the
/// brief's approach (<see cref="BriefOfflineMediaService"/>: sequential, a new
/// HttpClient and a buffered GetAsync per file). Every invocation starts from an empty folder, in a process whose
/// code for that method has been warmed (see <see cref="WarmUpRuns"/>).
/// Targets: the SDK at least 0.9× the limit's throughput; at least 3× the brief's at 50 ms.
/// </summary>
[Config(typeof(SyncBenchmarkConfig))]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10, invocationCount: 1)]
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

    /// <summary>Gets or sets the SDK's <c>MaxParallelDownloads</c>, and the limit's parallelism (the brief's approach is sequential).</summary>
    [Params(4, 8)]
    public int Parallelism { get; set; }

    /// <summary>
    /// How many times each method syncs the small warm-up workout before its clock starts. A cold process spends
    /// 50–300 ms of JIT time in each of its first 20 to 30 syncs (tiered compilation optimizes a method after 30
    /// calls, and a sync calls much of its code once), as much as the gaps measured: with only the two warm-up
    /// iterations, the SDK's first measured syncs took 20–40% longer than its later ones.
    /// </summary>
    private const int WarmUpRuns = 30;

    [GlobalSetup(Target = nameof(Sdk))]
    public Task GlobalSetupSdk() => StartAsync(async directory =>
    {
        var host = new SdkSyncHost(_origin.BaseAddress, directory, Parallelism);
        await using (host)
        {
            await host.OpenAsync();
            await host.SyncAsync(SyncOrigin.WarmUpWorkoutId, SyncOrigin.WarmUpFiles);
        }
    });

    [GlobalSetup(Target = nameof(PracticalLimit))]
    public Task GlobalSetupLimit() => StartAsync(directory => WarmUpLimitAsync(directory, flushToDisk: false));

    [GlobalSetup(Target = nameof(PracticalLimitFlushed))]
    public Task GlobalSetupLimitFlushed() => StartAsync(directory => WarmUpLimitAsync(directory, flushToDisk: true));

    [GlobalSetup(Target = nameof(Brief))]
    public Task GlobalSetupBrief() => StartAsync(async directory =>
    {
        using var client = _origin.Origin.CreateClient();
        await new BriefOfflineMediaService(client, directory).SyncWorkoutMedia(SyncOrigin.WarmUpWorkoutId);
    });

    [GlobalCleanup]
    public async Task GlobalCleanup()
    {
        await _origin.DisposeAsync();
        TryDelete(_root);
    }

    [IterationSetup(Target = nameof(Sdk))]
    public void SetupSdk()
    {
        NewDirectory();
        _sdk = new SdkSyncHost(_origin.BaseAddress, _directory, Parallelism);
        _sdk.OpenAsync().GetAwaiter().GetResult();
    }

    [IterationSetup(Targets = [nameof(PracticalLimit), nameof(PracticalLimitFlushed), nameof(Brief)])]
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

    [Benchmark(Baseline = true)]
    public Task PracticalLimit() => Sync.PracticalLimit.DownloadAsync(_client!, _origin.MediaUris, _directory, Parallelism);

    /// <summary>The limit with each file flushed to disk when complete: what durability alone costs.</summary>
    [Benchmark]
    public Task PracticalLimitFlushed() => Sync.PracticalLimit.DownloadAsync(_client!, _origin.MediaUris, _directory, Parallelism, flushToDisk: true);

    [Benchmark]
    public async Task Brief()
    {
        var service = new BriefOfflineMediaService(_client!, _directory);
        await service.SyncWorkoutMedia(SyncOrigin.WorkoutId);
        if (service.Failures > 0)
        {
            throw new InvalidOperationException($"The brief's sync failed for {service.Failures} exercises.");
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

    /// <summary>Starts the origin, runs <paramref name="warmUp"/> <see cref="WarmUpRuns"/> times without latency, then sets the latency measured.</summary>
    private async Task StartAsync(Func<string, Task> warmUp)
    {
        _origin = await SyncOrigin.StartAsync(Files, FileBytes);
        _root = Path.Combine(Path.GetTempPath(), "offlinemedia-bench-sync-" + Guid.NewGuid().ToString("N")[..12]);

        // Each run in a folder of its own, kept until the global cleanup (a few MB): no deletions while the clock runs.
        for (var i = 0; i < WarmUpRuns; i++)
        {
            var directory = Path.Combine(_root, "warm-up", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(directory);
            await warmUp(directory);
        }

        _origin.Origin.Requests.Clear();
        _origin.SetMediaLatency(LatencyMs);
    }

    private async Task WarmUpLimitAsync(string directory, bool flushToDisk)
    {
        using var client = _origin.Origin.CreateClient();
        await Sync.PracticalLimit.DownloadAsync(client, _origin.WarmUpUris, directory, Parallelism, flushToDisk);
    }

    private void NewDirectory()
    {
        _directory = Path.Combine(_root, Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_directory);
    }
}
