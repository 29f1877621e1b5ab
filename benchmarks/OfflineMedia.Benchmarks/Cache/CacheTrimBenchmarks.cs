using BenchmarkDotNet.Attributes;
using OfflineMedia.Cache.Internal;

namespace OfflineMedia.Benchmarks.Cache;

/// <summary>
/// The index side of a trim of a cache of 100,000 entries that evicts 10% of them (about 10,000 rows, fewer
/// where pinned rows are skipped): choosing the rows and removing them from the index, commit included.
/// Removing mutates, so every iteration is one invocation on a fresh copy of the pristine <c>index.db</c>.
/// Target: choosing and removing the rows at most 100 ms. File deletion: <see cref="CacheFileDeleteBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[InvocationCount(1)]
public class CacheTrimBenchmarks
{
    private const int Evictions = CacheFolder.EntryCount / 10;

    private CacheFolder _folder = null!;
    private string _pristine = null!;
    private MediaIndex? _index;
    private long _budget;
    private long _target;
    private long _expiredBefore;
    private long _now;

    /// <summary>Gets or sets how access times relate to keys: it decides how many pages of the key index the deletes rewrite.</summary>
    [Params(CacheAccessPattern.Scattered, CacheAccessPattern.ByExercise)]
    public CacheAccessPattern Access { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = new CacheFolder();
        _folder.Seed(Access);
        _pristine = _folder.Paths.IndexFile + ".pristine";
        File.Copy(_folder.Paths.IndexFile, _pristine);

        // Over budget by a little, target 10% below the total: the least recently used ~10% of the unpinned rows go.
        // Nothing is older than DaysToKeepMedia (30 days), so it is the size rule that stops the scan.
        _now = _folder.Now.ToUnixTimeMilliseconds();
        _budget = _folder.TotalBytes - 1;
        _target = _folder.TotalBytes - (_folder.TotalBytes / 10);
        _expiredBefore = _now - (long)TimeSpan.FromDays(30).TotalMilliseconds;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _index?.Dispose();
        _folder.Dispose();
    }

    [IterationSetup]
    public void RestoreIndex()
    {
        foreach (var suffix in (string[])["-wal", "-shm"])
        {
            File.Delete(_folder.Paths.IndexFile + suffix);
        }

        File.Copy(_pristine, _folder.Paths.IndexFile, overwrite: true);
        _index = MediaIndex.Open(_folder.Paths.IndexFile);
    }

    [IterationCleanup]
    public void CloseIndex()
    {
        _index?.Dispose();
        _index = null;
    }

    /// <summary>What a trim does in the index: choose the evictions (expired, then LRU, pinned skipped) and delete their rows, in one transaction.</summary>
    [Benchmark]
    public int ChooseAndRemoveRows()
    {
        var removed = _index!.Evict(_budget, _target, _expiredBefore, _now, keep: null).Evicted.Count;
        return removed > Evictions * 9 / 10
            ? removed
            : throw new InvalidOperationException($"Removed {removed} rows: the seed does not evict 10%.");
    }
}
