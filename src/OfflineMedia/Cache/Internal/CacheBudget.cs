using System.IO.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OfflineMedia.Diagnostics;
using OfflineMedia.Profiles;

namespace OfflineMedia.Cache.Internal;

/// <summary>
/// The cache's size: the running total of its bytes, the room a download needs, and eviction down to the budget.
/// Every method named <c>Locked</c> runs under the cache's mutation lock, which its caller holds; the total itself is
/// read without it.
/// </summary>
internal sealed class CacheBudget
{
    private const double LowWaterRatio = 0.9;

    private readonly IOptionsMonitor<OfflineMediaOptions> _options;
    private readonly IStorageProbe _storage;
    private readonly IFileSystem _fileSystem;
    private readonly CachePaths _paths;
    private readonly AccessTimes _accessTimes;
    private readonly TimeProvider _time;
    private readonly OfflineMediaTelemetry _telemetry;
    private readonly ILogger _logger;
    private long _totalBytes;

    public CacheBudget(
        IOptionsMonitor<OfflineMediaOptions> options,
        IStorageProbe storage,
        IFileSystem fileSystem,
        CachePaths paths,
        AccessTimes accessTimes,
        TimeProvider time,
        OfflineMediaTelemetry telemetry,
        ILogger logger)
    {
        _options = options;
        _storage = storage;
        _fileSystem = fileSystem;
        _paths = paths;
        _accessTimes = accessTimes;
        _time = time;
        _telemetry = telemetry;
        _logger = logger;
    }

    /// <summary>The bytes of the files the index lists.</summary>
    public long TotalBytes => Interlocked.Read(ref _totalBytes);

    /// <summary>The low-water mark a trim to <paramref name="budget"/> goes down to.</summary>
    public static long LowWater(long budget) => (long)(budget * LowWaterRatio);

    /// <summary>Sets the total read from the index when it opens.</summary>
    public void Reset(long bytes) => Interlocked.Exchange(ref _totalBytes, bytes);

    /// <summary>Adds bytes committed (or, negative, dropped) to the total.</summary>
    public void Add(long bytes) => Interlocked.Add(ref _totalBytes, bytes);

    /// <summary>
    /// Before a body of <paramref name="bytes"/> is written, without the lock: refuses it when the disk (less the
    /// reserve) cannot take it.
    /// </summary>
    /// <returns>
    /// <see langword="true"/> when it fits even if every cached byte were pinned: nothing to refuse or evict, so no need to
    /// wait for the lock (held by other files' commits) or to sum the pins. Otherwise <see cref="MakeRoomLocked"/> decides.
    /// </returns>
    public bool FitsAsIs(MediaKey key, long bytes)
    {
        var options = _options.CurrentValue;
        var free = _storage.GetAvailableBytes(_paths.Root) - options.StorageReserveBytes;
        if (bytes > free)
        {
            throw new MediaCacheException(MediaCacheError.InsufficientSpace,
                $"{key} needs {bytes} bytes but the device has {Math.Max(0, free)} free beyond the reserve of {options.StorageReserveBytes}.") { Key = key };
        }

        return TotalBytes + bytes <= options.CacheSizeLimitBytes;
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

        if (TotalBytes - replaced + bytes > limit)
        {
            TrimLocked(index, limit - bytes, Math.Min(LowWater(limit), limit - bytes));
        }
    }

    /// <summary>After a commit: trims to the limit when over it, never evicting the file just committed (<paramref name="keep"/>).</summary>
    public void TrimAfterCommitLocked(MediaIndex index, MediaKey keep)
    {
        var limit = _options.CurrentValue.CacheSizeLimitBytes;
        if (TotalBytes > limit)
        {
            TrimLocked(index, limit, LowWater(limit), keep);
        }
    }

    /// <param name="index">The open index.</param>
    /// <param name="budget">The budget to trim to.</param>
    /// <param name="target">The low-water mark to trim down to once over the budget.</param>
    /// <param name="keep">A file just committed and about to be returned to its callers, never evicted by its own commit
    /// (parallel downloads can each find room and overshoot the budget together, or the clock can step back).</param>
    public TrimResult TrimLocked(MediaIndex index, long budget, long target, MediaKey? keep = null)
    {
        _accessTimes.Flush(index); // So the order of use includes every earlier access.
        var now = Now;
        var expiredBefore = now - (long)TimeSpan.FromDays(_options.CurrentValue.DaysToKeepMedia).TotalMilliseconds;
        var evictions = index.Evict(TotalBytes, budget, target, expiredBefore, now, keep);
        var evictedBytes = evictions.Sum(e => e.Size);
        Add(-evictedBytes);
        DeleteFiles(evictions);
        _telemetry.Evicted(evictions.Count);
        index.RemoveLapsedPins(now);

        var remaining = TotalBytes;
        if (evictions.Count > 0)
        {
            Log.Evicted(_logger, evictions.Count, evictedBytes, remaining, budget);
        }

        if (remaining > budget)
        {
            Log.PinnedOverBudget(_logger, remaining, budget);
        }

        return new TrimResult(evictions.Count, evictedBytes, remaining, budget, evictions.ConvertAll(e => e.Key));
    }

    /// <summary>Rows first, then files: a crash in between leaves only files without rows, which the next open removes.</summary>
    public int RemoveLocked(MediaIndex index, List<EntryFile> entries)
    {
        var removed = index.Delete(entries.ConvertAll(e => e.Key));
        Add(-entries.Sum(e => e.Size));
        DeleteFiles(entries);
        return removed;
    }

    /// <summary>Deletes the files of rows already gone; one that cannot be deleted is logged and left.</summary>
    public void DeleteFiles(List<EntryFile> entries)
    {
        foreach (var entry in entries)
        {
            try
            {
                var path = _paths.Resolve(entry.RelativePath);
                if (_paths.FindLinkOnTheWay(path) is { } link)
                {
                    throw CachePaths.LinkRefused(link); // Deleting through it would delete a file outside the cache.
                }

                _fileSystem.File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or MediaCacheException)
            {
                Log.FileNotDeleted(_logger, entry.RelativePath, ex);
            }
        }
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
