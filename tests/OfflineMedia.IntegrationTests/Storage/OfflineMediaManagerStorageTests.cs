using OfflineMedia.Cache.Internal;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Storage;

/// <summary>The storage part of the settings page: the cache against its limit, low-storage warnings, and "Clear cache".</summary>
public sealed class OfflineMediaManagerStorageTests : OriginTestBase
{
    private const long LowFree = 100L * 1024 * 1024;

    private FakeMediaVariant Loose => Origin.Catalog.GetVariant("row", FakeMediaKind.Image, "large");

    protected override FakeMediaCatalog CreateCatalog() => new FakeMediaCatalog()
        .AddPhoneExercise("squat")
        .AddPhoneExercise("row", image: 6_000)
        .AddWorkout("w-1", "Legs", DateTimeOffset.UtcNow.AddHours(2), "squat");

    [Fact]
    public async Task GetStorageStatusAsync_AfterASyncAndAnUnpinnedDownload_ReportsUsagePinnedAndFreeBytes()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress, o => o.CacheSizeLimitBytes = 64L * 1024 * 1024);
        var manager = host.Manager();
        using var events = new StorageEventRecorder(manager);
        Assert.Equal(SyncOutcome.Complete, (await manager.SyncNowAsync()).Outcome);
        await host.CacheAsync(Loose);
        var pinned = SyncOrigin.PhoneKeys("squat").Sum(k => Origin.Catalog.VariantOf(k).SizeBytes);

        var status = await manager.GetStorageStatusAsync();

        Assert.Equal(pinned + Loose.SizeBytes, status.CacheBytes);
        Assert.Equal(CacheFolder.MediaFiles(Root).Sum(f => new FileInfo(f).Length), status.CacheBytes);
        Assert.Equal(4, status.CachedFiles);
        Assert.Equal(pinned, status.PinnedBytes);
        Assert.Equal(Loose.SizeBytes, status.CleanableBytes);
        Assert.Equal(64L * 1024 * 1024, status.CacheLimitBytes);
        Assert.Equal(host.Storage.AvailableBytes, status.DeviceFreeBytes);
        Assert.False(status.IsDeviceStorageLow);
        Assert.False(status.ShouldOfferCleanup);
        Assert.Empty(events.LowStorage);
    }

    [Fact]
    public async Task GetStorageStatusAsync_LittleFreeSpace_ReportsLowOffersCleanupAndRaisesLowStorage()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        var manager = host.Manager();
        using var events = new StorageEventRecorder(manager);
        Assert.Equal(SyncOutcome.Complete, (await manager.SyncNowAsync()).Outcome);
        await host.CacheAsync(Loose);
        host.Storage.AvailableBytes = LowFree;

        var status = await manager.GetStorageStatusAsync();

        Assert.Equal(LowFree, status.DeviceFreeBytes);
        Assert.True(status.IsDeviceStorageLow);
        Assert.True(status.ShouldOfferCleanup);
        Assert.Equal(status, Assert.Single(events.LowStorage));
    }

    [Fact]
    public async Task SyncNowAsync_DeviceTooFullForTheSync_RaisesLowStorageAndLeavesFilesOut()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        var manager = host.Manager();
        using var events = new StorageEventRecorder(manager);
        host.Storage.AvailableBytes = 20_000; // The workout needs 46,000 bytes.

        var report = await manager.SyncNowAsync();

        Assert.Equal(SyncOutcome.Partial, report.Outcome);
        Assert.Contains("not enough storage", report.Reason, StringComparison.Ordinal);
        Assert.True(report.Skipped > 0);
        var low = Assert.Single(events.LowStorage);
        Assert.Equal(20_000, low.DeviceFreeBytes);
        Assert.True(low.IsDeviceStorageLow);
    }

    [Fact]
    public async Task ClearCacheAsync_KeepPinned_RemovesOnlyMediaNotPinnedForAnUpcomingWorkout()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        var manager = host.Manager();
        Assert.Equal(SyncOutcome.Complete, (await manager.SyncNowAsync()).Outcome);
        var loose = await host.CacheAsync(Loose);
        host.Storage.AvailableBytes = LowFree;

        var removed = await manager.ClearCacheAsync(keepPinned: true);
        var status = await manager.GetStorageStatusAsync();

        Assert.Equal(1, removed);
        Assert.Equal([CacheFolder.IndexPath(Root, loose.LocalPath)], CacheFolder.RetiredFiles(Root)); // Deleted after the grace period.
        Assert.Empty(await host.Cache.GetEntriesAsync("row"));
        Assert.Equal(3, (await host.Cache.GetEntriesAsync("squat")).Count);
        Assert.Equal(WorkoutAvailability.Full, (await manager.GetWorkoutAvailabilityAsync("w-1")).Availability);
        Assert.Equal(status.PinnedBytes, status.CacheBytes);
        Assert.True(status.IsDeviceStorageLow);
        Assert.False(status.ShouldOfferCleanup); // Nothing left that cleaning would free.
    }
}
