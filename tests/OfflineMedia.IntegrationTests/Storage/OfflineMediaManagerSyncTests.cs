using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Storage;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Storage;

/// <summary>"Sync now", its status line (running, paused, idle) and progress, and the retry of failed downloads.</summary>
public sealed class OfflineMediaManagerSyncTests : OriginTestBase
{
    private const long StallAt = 100_000;

    private FakeMediaVariant _big = null!;

    protected override FakeMediaCatalog CreateCatalog()
    {
        var catalog = new FakeMediaCatalog()
            .AddPhoneExercise("squat")
            .AddPhoneExercise("lunge")
            .AddPhoneExercise("deadlift", video: 400_000)
            .AddWorkout("w-1", "Legs", DateTimeOffset.UtcNow.AddHours(2), "squat", "lunge", "deadlift");
        _big = catalog.GetVariant("deadlift", FakeMediaKind.Video, MediaVariantNames.Video720p);
        return catalog;
    }

    [Fact]
    public async Task SyncNowAsync_Sync_RaisesRunningThenIdleAndProgressToTheEnd()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        var manager = host.Manager();
        using var events = new StorageEventRecorder(manager);
        Assert.Equal(SyncState.Idle, manager.SyncState);

        var report = await manager.SyncNowAsync();

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.Equal([SyncState.Running, SyncState.Idle], events.States);
        Assert.Equal(SyncState.Idle, manager.SyncState);
        var progress = events.Progress;
        Assert.NotEmpty(progress);
        Assert.Equal(9, progress[^1].FilesTotal);
        Assert.Equal(progress[^1].FilesTotal, progress[^1].FilesDone);
        Assert.Equal(report.BytesDownloaded, progress[^1].BytesDone);
        Assert.Empty(manager.FailedItems);
    }

    [Fact]
    public async Task SyncStateChanged_AllowedNetworkDropsMidSync_RaisesPausedThenRunningAgain()
    {
        Origin.Faults.Set(_big, FakeFault.StallAfter(StallAt));
        await using var host = new SyncHost(Root, Origin.BaseAddress, o => o.Strategy = SyncStrategy.WiFiOnly);
        var manager = host.Manager();
        using var events = new StorageEventRecorder(manager);

        var sync = manager.SyncNowAsync();
        await CacheFolder.WaitUntilAsync(
            () => events.Progress is [.., var last] && last.FilesDone == last.FilesTotal - 1 && Origin.Requests.ForPath(_big) is [{ BodyBytesSent: StallAt }],
            "every file but the big video is done and the video stalls");
        host.Network.Set(FakeConnectivityProbe.Cellular);
        await events.WaitForStateAsync(SyncState.Paused);
        Assert.Equal(SyncState.Paused, manager.SyncState);
        Assert.False(sync.IsCompleted);

        Origin.Faults.Clear(_big);
        host.Network.Set(FakeConnectivityProbe.WiFi);
        var report = await sync.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.Equal([SyncState.Running, SyncState.Paused, SyncState.Running, SyncState.Idle], events.States);
        Assert.Contains(events.Progress, p => p.IsPaused);
        Assert.False(events.Progress[^1].IsPaused);
        Assert.Equal(SyncState.Idle, manager.SyncState);
    }

    [Fact]
    public async Task RetryFailedAsync_AfterAServerError_DownloadsOnlyTheFailedFileAndClearsFailedItems()
    {
        Origin.Faults.Set(_big, FakeFault.Status(500));
        await using var host = new SyncHost(Root, Origin.BaseAddress, o => o.MaxDownloadAttempts = 1);
        var manager = host.Manager();

        var first = await manager.SyncNowAsync();

        Assert.Equal(SyncOutcome.Partial, first.Outcome);
        var failed = Assert.Single(manager.FailedItems);
        Assert.Equal(_big.ToKey(), failed.Key);
        Assert.Equal(SyncItemOutcome.Failed, failed.Outcome);
        Assert.Equal(MediaCacheError.HttpStatus, failed.Error);
        Assert.Contains("500", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(WorkoutAvailability.Partial, (await manager.GetWorkoutAvailabilityAsync("w-1")).Availability);

        Origin.Faults.Clear(_big);
        var mediaRequestsBefore = Origin.Requests.MediaRequests().Count;
        var retry = await manager.RetryFailedAsync();

        Assert.Equal(SyncOutcome.Complete, retry.Outcome);
        var item = Assert.Single(retry.Items);
        Assert.Equal(_big.ToKey(), item.Key);
        Assert.Equal(SyncItemOutcome.Downloaded, item.Outcome);
        Assert.Equal(_big.Sha256, CacheFolder.Sha256(item.LocalPath!));
        Assert.Empty(manager.FailedItems);
        var newMediaRequests = Origin.Requests.MediaRequests().Skip(mediaRequestsBefore).ToList();
        Assert.Equal(_big.Path, Assert.Single(newMediaRequests).Path);
        Assert.Equal(WorkoutAvailability.Full, (await manager.GetWorkoutAvailabilityAsync("w-1")).Availability);
    }
}
