using OfflineMedia.Cache;

namespace OfflineMedia.Storage.Internal;

/// <summary>The room a sync has, and the figures it came from.</summary>
/// <param name="Usage">What the cache holds.</param>
/// <param name="FreeBeyondReserve">The device's free bytes beyond the reserve (never negative).</param>
/// <param name="Room">The bytes new files may take: free beyond the reserve plus evictable, within the limit less pinned.</param>
/// <param name="Status">The storage figures, to raise when the sync finds too little room.</param>
internal sealed record StorageRoom(CacheUsage Usage, long FreeBeyondReserve, long Room, StorageStatus Status);
