using Microsoft.Extensions.Options;
using OfflineMedia.Cache;
using OfflineMedia.Profiles;

namespace OfflineMedia.Storage.Internal;

/// <summary>
/// The storage arithmetic in one place, for the sync (how much room a sync has) and the manager (the figures a
/// settings page shows): free storage beyond the reserve, what eviction could free, and when the device counts as low.
/// </summary>
internal sealed class StorageBudget(IMediaCache cache, IStorageProbe storage, IOptionsMonitor<OfflineMediaOptions> options)
{
    /// <summary>Free storage under the reserve plus this margin counts as low: warn before downloads start failing.</summary>
    internal const long LowStorageMargin = 512L * 1024 * 1024;

    /// <summary>Measures the cache and the device's free storage.</summary>
    public async Task<StorageStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        var usage = await cache.GetUsageAsync(cancellationToken).ConfigureAwait(false);
        return Status(usage, storage.GetAvailableBytes(current.CacheDirectory), current);
    }

    /// <summary>
    /// The room a sync has for new files: free storage beyond the reserve plus what evicting unpinned media frees,
    /// within the cache limit less pinned media.
    /// </summary>
    public async Task<StorageRoom> GetRoomAsync(OfflineMediaOptions current, CancellationToken cancellationToken)
    {
        var usage = await cache.GetUsageAsync(cancellationToken).ConfigureAwait(false);
        var deviceFree = storage.GetAvailableBytes(current.CacheDirectory);
        var free = Math.Max(0, deviceFree - current.StorageReserveBytes);
        var evictable = usage.TotalBytes - usage.PinnedBytes;
        var room = Math.Min(free + evictable, current.CacheSizeLimitBytes - usage.PinnedBytes);
        return new StorageRoom(usage, free, room, Status(usage, deviceFree, current));
    }

    /// <summary>Whether <paramref name="deviceFree"/> is low: under the reserve plus <see cref="LowStorageMargin"/>.</summary>
    public static bool IsLow(long deviceFree, long reserveBytes) => deviceFree < reserveBytes + LowStorageMargin;

    private static StorageStatus Status(CacheUsage usage, long deviceFree, OfflineMediaOptions current) => new()
    {
        CacheBytes = usage.TotalBytes,
        CacheLimitBytes = usage.LimitBytes,
        CachedFiles = usage.Count,
        PinnedBytes = usage.PinnedBytes,
        DeviceFreeBytes = deviceFree,
        IsDeviceStorageLow = IsLow(deviceFree, current.StorageReserveBytes),
    };
}
