using Microsoft.Extensions.Options;
using NSubstitute;
using OfflineMedia.Cache;
using OfflineMedia.Storage.Internal;
using OfflineMedia.Testing;

namespace OfflineMedia.Tests.Storage;

public sealed class StorageBudgetTests
{
    private readonly IMediaCache _cache = Substitute.For<IMediaCache>();
    private readonly FakeStorageProbe _storage = FakeStorageProbe.WithGigabytes(1);
    private readonly OfflineMediaOptions _options = new() { CacheDirectory = Path.GetTempPath(), StorageReserveBytes = 1_000, CacheSizeLimitBytes = 1L << 30 };

    [Theory]
    [InlineData(11_000, 1L << 30, 10_000 + 4_000)] // The device's free space (beyond the reserve) plus what eviction frees.
    [InlineData(1L << 40, 50_000, 50_000 - 6_000)] // The cache limit less what is pinned.
    [InlineData(500, 1L << 30, 4_000)] // Below the reserve: only eviction makes room.
    public async Task GetRoomAsync_IsFreeBeyondTheReservePlusEvictableWithinTheLimitLessPinned(long deviceFree, long limit, long room)
    {
        _storage.AvailableBytes = deviceFree;
        _options.CacheSizeLimitBytes = limit;
        GivenUsage(total: 10_000, pinned: 6_000);

        var result = await Budget().GetRoomAsync(_options, CancellationToken.None);

        Assert.Equal(room, result.Room);
        Assert.Equal(Math.Max(0, deviceFree - 1_000), result.FreeBeyondReserve);
        Assert.Equal(deviceFree, result.Status.DeviceFreeBytes);
    }

    [Theory]
    [InlineData(-1, true)]
    [InlineData(0, false)]
    public async Task GetStatusAsync_FreeBytesAroundTheReservePlusTheMargin_IsLowJustBelow(long offset, bool low)
    {
        _storage.AvailableBytes = 1_000 + StorageBudget.LowStorageMargin + offset;
        GivenUsage(total: 10_000, pinned: 6_000);

        var status = await Budget().GetStatusAsync(CancellationToken.None);

        Assert.Equal(low, status.IsDeviceStorageLow);
        Assert.Equal(4_000, status.CleanableBytes);
    }

    private StorageBudget Budget()
    {
        var monitor = Substitute.For<IOptionsMonitor<OfflineMediaOptions>>();
        monitor.CurrentValue.Returns(_options);
        return new StorageBudget(_cache, _storage, monitor);
    }

    private void GivenUsage(long total, long pinned) =>
        _cache.GetUsageAsync(Arg.Any<CancellationToken>()).Returns(Task.FromResult(new CacheUsage(total, 3, 0, 0, 0, 0, pinned, _options.CacheSizeLimitBytes)));
}
