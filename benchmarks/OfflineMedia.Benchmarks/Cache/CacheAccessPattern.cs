namespace OfflineMedia.Benchmarks.Cache;

/// <summary>How the access times of a seeded cache relate to its keys, which decides how many pages of the key index an eviction rewrites.</summary>
public enum CacheAccessPattern
{
    /// <summary>Every row's last use is independent of its key: the keys of the oldest 10% are spread over the whole key index (the worst case).</summary>
    Scattered,

    /// <summary>The variants of an exercise were used together, so the oldest rows come in runs of one exercise's rows.</summary>
    ByExercise,
}
