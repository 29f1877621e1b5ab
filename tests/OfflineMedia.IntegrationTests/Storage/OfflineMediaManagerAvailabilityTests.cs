using OfflineMedia.Cache.Internal;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Storage;

/// <summary>A workout list shows which workouts are available offline, and how much a sync still needs, before and during a sync.</summary>
public sealed class OfflineMediaManagerAvailabilityTests : OriginTestBase
{
    protected override FakeMediaCatalog CreateCatalog() => new FakeMediaCatalog()
        .AddPhoneExercise("squat")
        .AddPhoneExercise("lunge", image: 3_000, video: 30_000, poster: 1_500)
        .AddPhoneExercise("plank", image: 5_000, video: 20_000, poster: 1_000)
        .AddWorkout("w-1", "Legs", DateTimeOffset.UtcNow.AddHours(2), "squat", "lunge")
        .AddWorkout("w-2", "Core", DateTimeOffset.UtcNow.AddDays(1), "plank");

    [Fact]
    public async Task AvailabilityChanged_DuringASync_MovesFromNoneToPartialToFull()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress, o => o.MaxParallelDownloads = 1);
        var manager = host.Manager();
        using var events = new StorageEventRecorder(manager);

        var report = await manager.SyncNowAsync();

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.Equal([WorkoutAvailability.None, WorkoutAvailability.Partial, WorkoutAvailability.Full], events.AvailabilityOf("w-1"));
        Assert.Equal([WorkoutAvailability.None, WorkoutAvailability.Partial, WorkoutAvailability.Full], events.AvailabilityOf("w-2"));
        var last = events.Availability.Last(a => a.WorkoutId == "w-1");
        Assert.Equal(6, last.FilesCached);
        Assert.Equal(0, last.BytesMissing);
        var firstPartial = events.Availability.First(a => a.WorkoutId == "w-1" && a.Availability == WorkoutAvailability.Partial);
        Assert.InRange(firstPartial.FilesCached, 1, 5);
        Assert.True(firstPartial.BytesMissing > 0);
    }

    [Fact]
    public async Task GetWorkoutAvailabilityAsync_NeverSyncedWorkout_PlansItFromTheApiWithoutDownloading()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        var manager = host.Manager();
        var expectedBytes = SyncOrigin.PhoneKeys("squat", "lunge").Sum(k => Origin.Catalog.VariantOf(k).SizeBytes);

        var before = await manager.GetWorkoutAvailabilityAsync("w-1");

        Assert.Equal("w-1", before.WorkoutId);
        Assert.Equal("Legs", before.Name);
        Assert.Equal(WorkoutAvailability.None, before.Availability);
        Assert.Null(before.LastSyncedAt);
        Assert.Equal(6, before.FilesPlanned);
        Assert.Equal(0, before.FilesCached);
        Assert.Equal(expectedBytes, before.BytesMissing); // The API gives sizes: the estimate is exact.
        Assert.Empty(Origin.Requests.MediaRequests());
        Assert.Empty(CacheFolder.MediaFiles(Root));

        Assert.Equal(SyncOutcome.Complete, (await manager.SyncNowAsync()).Outcome);
        var after = await manager.GetWorkoutAvailabilityAsync("w-1");

        Assert.Equal(WorkoutAvailability.Full, after.Availability);
        Assert.Equal(0, after.BytesMissing);
        Assert.Equal(6, after.FilesCached);
        Assert.Equal(expectedBytes, after.BytesCached);
        Assert.NotNull(after.LastSyncedAt);
    }

    [Fact]
    public async Task GetWorkoutAvailabilityAsync_AfterTheCacheIsCleared_ShowsNoneAtOnce()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        var manager = host.Manager();
        Assert.Equal(SyncOutcome.Complete, (await manager.SyncNowAsync()).Outcome);
        Assert.Equal(WorkoutAvailability.Full, (await manager.GetWorkoutAvailabilityAsync("w-2")).Availability);

        var removed = await manager.ClearCacheAsync(keepPinned: false);
        var state = await manager.GetWorkoutAvailabilityAsync("w-2");

        Assert.Equal(9, removed);
        Assert.Equal(WorkoutAvailability.None, state.Availability);
        Assert.Equal(3, state.FilesPlanned);
        Assert.Equal(SyncOrigin.PhoneKeys("plank").Sum(k => Origin.Catalog.VariantOf(k).SizeBytes), state.BytesMissing);
        Assert.Equal(CacheFolder.MediaFiles(Root).Length, CacheFolder.RetiredFiles(Root).Count); // Deleted after the grace period.
    }
}
