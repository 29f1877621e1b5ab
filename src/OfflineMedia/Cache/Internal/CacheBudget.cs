using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OfflineMedia.Diagnostics;
using OfflineMedia.Profiles;

namespace OfflineMedia.Cache.Internal;

/// <summary>
/// The cache's size: the room a download needs, and eviction down to the budget. The bytes cached are the index's total,
/// never a count of this instance's own: another process may share the cache. Every method named <c>Locked</c> runs under
/// the cache's mutation lock, which its caller holds.
/// </summary>
internal sealed class CacheBudget
{
    private const double LowWaterRatio = 0.9;

    private readonly IOptionsMonitor<OfflineMediaOptions> _options;
    private readonly IStorageProbe _storage;
    private readonly CachePaths _paths;
    private readonly AccessTimes _accessTimes;
    private readonly RetiredFiles _retired;
    private readonly TimeProvider _time;
    private readonly OfflineMediaTelemetry _telemetry;
    private readonly ILogger _logger;

    public CacheBudget(
        IOptionsMonitor<OfflineMediaOptions> options,
        IStorageProbe storage,
        CachePaths paths,
        AccessTimes accessTimes,
        RetiredFiles retired,
        TimeProvider time,
        OfflineMediaTelemetry telemetry,
        ILogger logger)
    {
        _options = options;
        _storage = storage;
        _paths = paths;
        _accessTimes = accessTimes;
        _retired = retired;
        _time = time;
        _telemetry = telemetry;
        _logger = logger;
    }

    /// <summary>The low-water mark a trim to <paramref name="budget"/> goes down to.</summary>
    public static long LowWater(long budget) => (long)(budget * LowWaterRatio);

    /// <summary>
    /// Before a body of <paramref name="bytes"/> is written, without the lock: refuses it when the disk (less the
    /// reserve) cannot take it.
    /// </summary>
    /// <returns>
    /// <see langword="true"/> when it fits even if every cached byte were pinned: nothing to refuse or evict, so no need to
    /// wait for the lock (held by other files' commits) or to sum the pins. Otherwise <see cref="MakeRoomLocked"/> decides.
    /// The cached bytes are read from the index, which keeps them for every process that shares the cache.
    /// </returns>
    public bool FitsAsIs(MediaIndex index, MediaKey key, long bytes)
    {
        var options = _options.CurrentValue;
        var free = _storage.GetAvailableBytes(_paths.Root) - options.StorageReserveBytes;
        if (bytes > free)
        {
            throw new MediaCacheException(MediaCacheError.InsufficientSpace,
                $"{key} needs {bytes} bytes but the device has {Math.Max(0, free)} free beyond the reserve of {options.StorageReserveBytes}.") { Key = key };
        }

        return index.TotalBytes() + bytes <= options.CacheSizeLimitBytes;
    }

    /// <summary>Refuses a body of <paramref name="bytes"/> when pinned media leave the budget no room; otherwise evicts unpinned media until it fits.</summary>
    public void MakeRoomLocked(MediaIndex index, MediaKey key, long bytes)
    {
        var limit = _options.CurrentValue.CacheSizeLimitBytes;
        var replaced = index.Find(key)?.Size ?? 0;
        var pinnedOthers = index.PinnedBytes(Now, except: key);
        if (pinnedOthers + bytes > limit)
        {
            throw new MediaCacheException(MediaCacheError.InsufficientSpace,
                $"{key} needs {bytes} bytes but pinned media take {pinnedOthers} of the cache limit of {limit}.") { Key = key };
        }

        if (index.TotalBytes() - replaced + bytes > limit)
        {
            TrimLocked(index, limit - bytes, Math.Min(LowWater(limit), limit - bytes));
        }
    }

    /// <summary>
    /// After a commit that left <paramref name="total"/> bytes cached: trims to the limit when over it, never evicting the
    /// file just committed (the rows from <paramref name="keepFrom"/> on in the order of use).
    /// </summary>
    public void TrimAfterCommitLocked(MediaIndex index, long keepFrom, long total)
    {
        var limit = _options.CurrentValue.CacheSizeLimitBytes;
        if (total > limit)
        {
            TrimLocked(index, limit, LowWater(limit), keepFrom: keepFrom);
        }
    }

    /// <param name="index">The open index.</param>
    /// <param name="budget">The budget to trim to.</param>
    /// <param name="target">The low-water mark to trim down to once over the budget.</param>
    /// <param name="keepFrom">Where in the order of use the files just committed start: they are about to be returned to
    /// their callers and never evicted by their own commit (parallel downloads can each find room and overshoot the budget
    /// together, or the clock can step back).</param>
    public TrimResult TrimLocked(MediaIndex index, long budget, long target, long? keepFrom = null)
    {
        _accessTimes.Flush(index); // So the order of use includes every earlier access.
        var now = Now;
        var expiredBefore = now - (long)TimeSpan.FromDays(_options.CurrentValue.DaysToKeepMedia).TotalMilliseconds;
        var (evictions, remaining) = index.Evict(budget, target, expiredBefore, now, keep: null, keepFrom);
        var evictedBytes = evictions.Sum(e => e.Size);
        _telemetry.Evicted(evictions.Count);
        index.RemoveLapsedPins(now);

        if (evictions.Count > 0)
        {
            _retired.Retired(now);
            Log.Evicted(_logger, evictions.Count, evictedBytes, remaining, budget);
        }

        if (remaining > budget)
        {
            Log.PinnedOverBudget(_logger, remaining, budget);
        }

        return new TrimResult(evictions.Count, evictedBytes, remaining, budget, evictions.ConvertAll(e => e.Key));
    }

    /// <summary>Removes the rows of <paramref name="keys"/>; their files follow after the grace period (<see cref="RetiredFiles"/>).</summary>
    /// <returns>How many rows existed.</returns>
    public int RemoveLocked(MediaIndex index, IReadOnlyCollection<MediaKey> keys)
    {
        var now = Now;
        var removed = index.Delete(keys, now).Count;
        if (removed > 0)
        {
            _retired.Retired(now);
        }

        return removed;
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
