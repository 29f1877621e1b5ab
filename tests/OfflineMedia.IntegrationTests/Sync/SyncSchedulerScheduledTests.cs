using Microsoft.Extensions.Time.Testing;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Sync;

/// <summary>
/// The scheduled sync (a platform background task) runs only what is due, revalidates instead of downloading again,
/// and concurrent calls share one sync. The origin and the SDK share a fake clock, so "the next day" is one call away.
/// </summary>
public sealed class SyncSchedulerScheduledTests : OriginTestBase
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 6, 0, 0, TimeSpan.Zero));

    protected override FakeMediaOriginOptions OriginOptions => new() { TimeProvider = _time };

    protected override FakeMediaCatalog CreateCatalog() => FakeMediaCatalog.CreateWeek(_time.GetUtcNow(), scale: 1000);

    [Fact]
    public async Task RunScheduled_NextDayAfterACompleteSync_RevalidatesWith304AndDownloadsNoBody()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress, time: _time);
        var first = await host.Scheduler.RunScheduledAsync();
        Assert.NotNull(first);
        Assert.Equal(SyncOutcome.Complete, first.Outcome);
        var firstMedia = Origin.Requests.MediaRequests().Count;

        _time.Advance(TimeSpan.FromHours(25));
        var next = await host.Scheduler.RunScheduledAsync();

        Assert.NotNull(next);
        Assert.Equal(SyncOutcome.Complete, next.Outcome);
        Assert.Equal(0, next.Downloaded);
        Assert.NotEmpty(next.Items);
        Assert.All(next.Items, i => Assert.Equal(SyncItemOutcome.Cached, i.Outcome));
        Assert.Equal(["w-2", "w-3", "w-4", "w-5", "w-6"], next.Workouts.Select(w => w.WorkoutId).Order(StringComparer.Ordinal));
        Assert.All(next.Workouts, w => Assert.Equal(_time.GetUtcNow(), w.LastSyncedAt));

        await Origin.Requests.WaitIdleAsync();
        var media = Origin.Requests.MediaRequests().Skip(firstMedia).ToList();
        Assert.Equal(0, media.Sum(r => r.BodyBytesSent));
        Assert.NotEmpty(media); // Plain-URL files carry no digest: the server is asked whether they changed.
        Assert.All(media, r =>
        {
            Assert.Equal(304, r.StatusCode);
            Assert.NotNull(r.IfNoneMatch);
            Assert.False(IsRich(r.Path.Split('/')[3]), $"{r.Path} has a digest: it needs no request at all");
        });
        Assert.Equal(next.Items.Count(i => !IsRich(i.Key.ExerciseId)), media.Count);
    }

    [Fact]
    public async Task RunScheduled_NextDayAfterAFileChanged_DownloadsOnlyTheChangedFile()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress, time: _time);
        var first = await host.Scheduler.RunScheduledAsync();
        var changed = Origin.Catalog.GetVariant("squat", FakeMediaKind.Video, "720p"); // A plain URL: found by revalidation.
        changed.ChangeContent();

        _time.Advance(TimeSpan.FromHours(25));
        var next = await host.Scheduler.RunScheduledAsync();

        Assert.NotNull(next);
        var item = Assert.Single(next.Items, i => i.Outcome == SyncItemOutcome.Downloaded);
        Assert.Equal(changed.ToKey(), item.Key);
        Assert.Null(item.Sha256); // A plain URL gives no digest to keep.
        Assert.Equal(changed.Sha256, CacheFolder.Sha256(item.LocalPath!));
        Assert.Equal(first!.Item(changed.ToKey()).LocalPath, item.LocalPath);
    }

    [Fact]
    public async Task RunScheduled_NothingDue_ReturnsNullWithoutTouchingMedia()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress, time: _time);
        await host.Scheduler.SyncUpcomingAsync();
        var requests = Origin.Requests.Count;

        _time.Advance(TimeSpan.FromHours(1));
        var report = await host.Scheduler.RunScheduledAsync();

        Assert.Null(report);
        var after = Origin.Requests.All.Skip(requests).ToList();
        Assert.Equal(["/api/workouts/upcoming"], after.Select(r => r.Path));
    }

    [Fact]
    public async Task RunScheduled_AFileOfACompleteWorkoutWentMissing_TheWorkoutIsDueAgainAndOnlyThatFileIsFetched()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress, time: _time);
        var first = await host.Scheduler.SyncUpcomingAsync();
        var lost = first.Items.First(i => i.WorkoutIds.Contains("w-3"));
        File.Delete(lost.LocalPath!);
        var media = Origin.Requests.MediaRequests().Count;

        var report = await host.Scheduler.RunScheduledAsync();

        Assert.NotNull(report);
        var downloaded = Assert.Single(report.Items, i => i.Outcome == SyncItemOutcome.Downloaded);
        Assert.Equal(lost.Key, downloaded.Key);
        Assert.Single(Origin.Requests.MediaRequests().Skip(media));
        Assert.Contains(report.Workouts, w => w.WorkoutId == "w-3");
    }

    [Fact]
    public async Task RunScheduled_ConcurrentCalls_ShareOneSync()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress, time: _time);

        var calls = Enumerable.Range(0, 4).Select(_ => host.Scheduler.RunScheduledAsync()).ToList();
        var reports = await Task.WhenAll(calls);

        Assert.NotNull(reports[0]);
        Assert.All(reports, r => Assert.Same(reports[0], r));
        Assert.Equal(SyncOutcome.Complete, reports[0]!.Outcome);
        Assert.Equal(1, Origin.Requests.CountRequests("/api/workouts/upcoming"));
        Assert.Equal(reports[0]!.Items.Count, Origin.Requests.MediaRequests().Count);
        Assert.All(Origin.Requests.MediaRequests().GroupBy(r => r.Path), g => Assert.Single(g));

        Assert.Null(await host.Scheduler.RunScheduledAsync()); // Done: nothing is due any more.
    }

    [Fact]
    public async Task RunScheduled_WhileTheUsersSyncRuns_WaitsForItAndThenFindsNothingDue()
    {
        var video = Origin.Catalog.GetVariant("squat", FakeMediaKind.Video, "720p");
        Origin.Faults.Set(video, FakeFault.Delay(TimeSpan.FromMilliseconds(300)));
        await using var host = new SyncHost(Root, Origin.BaseAddress, time: _time);

        var user = host.Scheduler.SyncUpcomingAsync();
        await Origin.Requests.WaitForRequestAsync(video.Path).WaitAsync(TimeSpan.FromSeconds(10));
        var scheduled = await host.Scheduler.RunScheduledAsync();
        var report = await user;

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.Null(scheduled);
        Assert.Single(Origin.Requests.ForPath(video));
    }

    private bool IsRich(string exerciseId) => Origin.Catalog.GetExercise(exerciseId).Variants.All(v => v.Form == FakeVariantForm.Rich);
}
