namespace OfflineMedia.Storage;

/// <summary>The storage figures a settings page shows: the cache against its limit, and the device's free space.</summary>
public sealed record StorageStatus
{
    /// <summary>Gets the bytes the cache holds.</summary>
    public required long CacheBytes { get; init; }

    /// <summary>Gets the cache budget.</summary>
    public required long CacheLimitBytes { get; init; }

    /// <summary>Gets the number of cached files.</summary>
    public required int CachedFiles { get; init; }

    /// <summary>Gets the bytes of media pinned for upcoming workouts.</summary>
    public required long PinnedBytes { get; init; }

    /// <summary>Gets the bytes that cleaning would free now: cached media not pinned for an upcoming workout.</summary>
    public long CleanableBytes => CacheBytes - PinnedBytes;

    /// <summary>Gets the free bytes on the device where the cache lives.</summary>
    public required long DeviceFreeBytes { get; init; }

    /// <summary>Gets a value indicating whether the device is low on storage: less free than the reserve plus a safety margin.</summary>
    public required bool IsDeviceStorageLow { get; init; }

    /// <summary>Gets a value indicating whether to offer cleaning old workout media: storage is low and cleaning would free something.</summary>
    public bool ShouldOfferCleanup => IsDeviceStorageLow && CleanableBytes > 0;
}
