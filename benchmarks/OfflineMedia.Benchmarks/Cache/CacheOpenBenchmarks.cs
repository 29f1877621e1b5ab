using BenchmarkDotNet.Attributes;
using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;

namespace OfflineMedia.Benchmarks.Cache;

/// <summary>
/// Opening a cache of 100,000 entries that was closed cleanly: what an app pays on its first cache call.
/// The index opens lazily, so each benchmark constructs a <see cref="DefaultMediaCache"/>, makes the first
/// call and disposes it (which marks the index clean again). Target: at most 250 ms.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class CacheOpenBenchmarks
{
    private CacheFolder _folder = null!;
    private MediaKey _cachedKey;

    [GlobalSetup]
    public void Setup()
    {
        _folder = new CacheFolder();
        _folder.Seed();
        _cachedKey = CacheFolder.KeyOf(12_345);
        _folder.WriteFiles([_cachedKey]);
    }

    [GlobalCleanup]
    public void Cleanup() => _folder.Dispose();

    /// <summary>Construct, open with the first call (<see cref="IMediaCache.GetUsageAsync"/>), dispose.</summary>
    [Benchmark(Baseline = true)]
    public async Task<CacheUsage> OpenThenGetUsage()
    {
        await using var cache = _folder.CreateCache();
        return await cache.GetUsageAsync();
    }

    /// <summary>Construct, open with the first call (a hit through <see cref="IMediaCache.TryGetAsync"/>), dispose.</summary>
    [Benchmark]
    public async Task<CachedMedia?> OpenThenTryGet()
    {
        await using var cache = _folder.CreateCache();
        return await cache.TryGetAsync(_cachedKey);
    }

    /// <summary>The index alone: <see cref="MediaIndex.Open"/> and a clean close, without the cache's own work.</summary>
    [Benchmark]
    public bool IndexOpenThenDispose()
    {
        using var index = MediaIndex.Open(_folder.Paths.IndexFile);
        return index.WasCleanlyClosed;
    }
}
