using BenchmarkDotNet.Attributes;
using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;
using OfflineMedia.Variants;

namespace OfflineMedia.Benchmarks.Cache;

/// <summary>
/// A lookup in an open cache of 100,000 entries. A hit reads the row and stats its file, so 1,000 keys spread
/// over the index have real files, and the benchmark cycles through them (access times are batched and
/// flushed every 256 hits, which is part of the cost). Target: a hit at most 20 µs, median.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class CacheLookupBenchmarks
{
    private const int CachedFiles = 1_000;

    private CacheFolder _folder = null!;
    private DefaultMediaCache _cache = null!;
    private MediaKey[] _hits = [];
    private MediaKey[] _misses = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _folder = new CacheFolder();
        _folder.Seed();
        _hits = Enumerable.Range(0, CachedFiles).Select(i => CacheFolder.KeyOf(i * (CacheFolder.EntryCount / CachedFiles) + (i % 8))).ToArray();
        _folder.WriteFiles(_hits);
        _misses = Enumerable.Range(0, CachedFiles).Select(i => new MediaKey(CacheFolder.ExerciseId(900_000 + i), MediaKind.Video, "720p")).ToArray();

        _cache = _folder.CreateCache();
        if (_cache.TryGetAsync(_hits[0]).AsTask().GetAwaiter().GetResult() is null)
        {
            throw new InvalidOperationException("The seeded file was not found: the benchmark would measure misses.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cache.Dispose();
        _folder.Dispose();
    }

    /// <summary>A hit: the row is found and its file is there at its size.</summary>
    [Benchmark(Baseline = true)]
    public ValueTask<CachedMedia?> TryGetHit()
    {
        var key = _hits[_next];
        _next = (_next + 1) % _hits.Length;
        return _cache.TryGetAsync(key);
    }

    /// <summary>A miss: no row for the key.</summary>
    [Benchmark]
    public ValueTask<CachedMedia?> TryGetMiss()
    {
        var key = _misses[_next];
        _next = (_next + 1) % _misses.Length;
        return _cache.TryGetAsync(key);
    }
}
