using OfflineMedia.Storage;

namespace OfflineMedia.Tests.Storage;

public sealed class StorageStatusTests
{
    [Theory]
    [InlineData(true, 1_000, 400, true)]
    [InlineData(true, 400, 400, false)]
    [InlineData(false, 1_000, 400, false)]
    [InlineData(true, 0, 0, false)]
    public void ShouldOfferCleanup_OnlyWhenLowAndCleaningWouldFreeSomething(bool low, long cacheBytes, long pinnedBytes, bool expected)
    {
        var status = new StorageStatus
        {
            CacheBytes = cacheBytes,
            CacheLimitBytes = 10_000,
            CachedFiles = 3,
            PinnedBytes = pinnedBytes,
            DeviceFreeBytes = 5,
            IsDeviceStorageLow = low,
        };

        Assert.Equal(cacheBytes - pinnedBytes, status.CleanableBytes);
        Assert.Equal(expected, status.ShouldOfferCleanup);
    }
}
