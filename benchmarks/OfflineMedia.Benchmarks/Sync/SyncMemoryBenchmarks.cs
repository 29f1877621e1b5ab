using BenchmarkDotNet.Attributes;

namespace OfflineMedia.Benchmarks.Sync;

/// <summary>
/// Peak managed memory while syncing a workout of one exercise whose only media is a 200 MiB video, from the
/// loopback fake origin with no added latency: the SDK, the practical limit (one stream copied to a file) and the
/// naive approach (a buffered <c>GetAsync</c>: it must hold the whole body). The peaks are measured by
/// <see cref="PeakMemory"/> around each invocation and shown in the "Peak heap" and "Peak after GC" columns;
/// "Allocated" is the MemoryDiagnoser's (process-wide, origin included). Target: the SDK at most 32 MB.
/// </summary>
[Config(typeof(SyncMemoryConfig))]
[MemoryDiagnoser]
public class SyncMemoryBenchmarks
{
    public const long VideoBytes = 200L * 1024 * 1024;

    /// <summary>The bytes one operation moves, read by the MB/s column.</summary>
    public const long BytesPerOperation = VideoBytes;

    private SyncOrigin _origin = null!;
    private string _root = null!;
    private string _directory = null!;
    private SdkSyncHost? _sdk;
    private HttpClient? _client;

    // One setup per target: each forgets only its own case's record (with the default toolchain every case
    // runs in its own process, after the others have written theirs).
    [GlobalSetup(Target = nameof(Sdk))]
    public Task GlobalSetupSdk() => GlobalSetup(nameof(Sdk));

    [GlobalSetup(Target = nameof(PracticalLimit))]
    public Task GlobalSetupLimit() => GlobalSetup(nameof(PracticalLimit));

    [GlobalSetup(Target = nameof(Naive))]
    public Task GlobalSetupNaive() => GlobalSetup(nameof(Naive));

    [GlobalCleanup]
    public async Task GlobalCleanup()
    {
        await _origin.DisposeAsync();
        SyncThroughputBenchmarks.TryDelete(_root);
    }

    [IterationSetup(Target = nameof(Sdk))]
    public void SetupSdk()
    {
        NewDirectory();
        _sdk = new SdkSyncHost(_origin.BaseAddress, _directory, maxParallelDownloads: 4);
        _sdk.OpenAsync().GetAwaiter().GetResult();
        PeakMemory.Start();
    }

    [IterationSetup(Targets = [nameof(PracticalLimit), nameof(Naive)])]
    public void SetupClient()
    {
        NewDirectory();
        _client = _origin.Origin.CreateClient();
        PeakMemory.Start();
    }

    [IterationCleanup(Target = nameof(Sdk))]
    public void CleanupSdk() => Cleanup(nameof(Sdk));

    [IterationCleanup(Target = nameof(PracticalLimit))]
    public void CleanupLimit() => Cleanup(nameof(PracticalLimit));

    [IterationCleanup(Target = nameof(Naive))]
    public void CleanupNaive() => Cleanup(nameof(Naive));

    [Benchmark]
    public Task Sdk() => _sdk!.SyncAsync(SyncOrigin.WorkoutId, 1);

    [Benchmark(Baseline = true)]
    public Task PracticalLimit() => Sync.PracticalLimit.DownloadAsync(_client!, _origin.MediaUris, _directory, 1);

    [Benchmark]
    public async Task Naive()
    {
        var service = new NaiveOfflineMediaService(_client!, _directory);
        await service.SyncWorkoutMedia(SyncOrigin.WorkoutId);
        if (service.Failures > 0)
        {
            throw new InvalidOperationException("The naive sync failed.");
        }
    }

    private async Task GlobalSetup(string method)
    {
        PeakMemory.Reset(Key(method));
        _origin = await SyncOrigin.StartAsync(1, VideoBytes);
        _root = Path.Combine(Path.GetTempPath(), "offlinemedia-bench-sync-" + Guid.NewGuid().ToString("N")[..12]);
    }

    private static string Key(string method) => PeakMemory.KeyOf(nameof(SyncMemoryBenchmarks), method);

    private void Cleanup(string method)
    {
        PeakMemory.Stop(Key(method));
        _sdk?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _sdk = null;
        _client?.Dispose();
        _client = null;
        _origin.AssertAllFilesUnder(_directory);
        _origin.Origin.Requests.Clear();
        SyncThroughputBenchmarks.TryDelete(_directory);
    }

    private void NewDirectory()
    {
        _directory = Path.Combine(_root, Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_directory);
    }
}
