using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Sync;

/// <summary>When the API cannot describe an exercise or a workout, that exercise or workout fails with its reason and the rest go on.</summary>
public sealed class SyncSchedulerCatalogFailureTests : OriginTestBase
{
    protected override FakeMediaCatalog CreateCatalog() => new FakeMediaCatalog()
        .AddPhoneExercise("squat")
        .AddPhoneExercise("lunge")
        .AddPhoneExercise("plank")
        .AddWorkout("w-1", "Legs", DateTimeOffset.UtcNow.AddHours(2), "squat", "lunge")
        .AddWorkout("w-2", "Core", DateTimeOffset.UtcNow.AddDays(1), "plank");

    [Fact]
    public async Task SyncUpcoming_OneExercisesMediaJsonIsAnHtmlPage_FailsThatExerciseAsInvalidAndTheOthersDownload()
    {
        Origin.Faults.Set("/api/exercises/lunge/media", FakeFault.HtmlPage());
        await using var host = new SyncHost(Root, Origin.BaseAddress);

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Partial, report.Outcome);
        var lunge = report.Items.Where(i => i.Key.ExerciseId == "lunge").ToList();
        Assert.Equal(3, lunge.Count);
        Assert.All(lunge, i =>
        {
            Assert.Equal(SyncItemOutcome.Failed, i.Outcome);
            Assert.Contains("exercise 'lunge'", i.Reason, StringComparison.Ordinal);
            Assert.Contains("not valid JSON", i.Reason, StringComparison.Ordinal);
            Assert.Equal(["w-1"], i.WorkoutIds);
        });
        Assert.Equal(6, report.Downloaded);
        Assert.DoesNotContain(Origin.Requests.MediaRequests(), r => r.Path.Contains("/lunge/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncUpcoming_ExerciseMediaAnswers500_TheWorkoutUsingItIsNotReportedAvailableOffline()
    {
        Origin.Faults.Set("/api/exercises/lunge/media", FakeFault.Status(500));
        await using var host = new SyncHost(Root, Origin.BaseAddress);

        var report = await host.Scheduler.SyncUpcomingAsync();

        var item = Assert.Single(report.Items, i => i.Key.ExerciseId == "lunge" && i.Key.Kind == OfflineMedia.Variants.MediaKind.Video);
        Assert.Contains("500", item.Reason, StringComparison.Ordinal);
        var w1 = Assert.Single(report.Workouts, w => w.WorkoutId == "w-1");
        Assert.Equal(WorkoutAvailability.Partial, w1.Availability);
        Assert.Equal(6, w1.FilesPlanned);
        Assert.True(w1.BytesMissing > 0);
        Assert.Equal(WorkoutAvailability.Partial, (await host.Scheduler.GetWorkoutStateAsync("w-1"))!.Availability);
        Assert.Equal(WorkoutAvailability.Full, (await host.Scheduler.GetWorkoutStateAsync("w-2"))!.Availability);
    }

    [Fact]
    public async Task SyncWorkout_OnlyExerciseMediaFails_IsFailedAndTheWorkoutHasNothingOffline()
    {
        Origin.Faults.Set("/api/exercises/plank/media", FakeFault.Status(500));
        await using var host = new SyncHost(Root, Origin.BaseAddress);

        var report = await host.Scheduler.SyncWorkoutAsync("w-2");

        Assert.Equal(SyncOutcome.Failed, report.Outcome);
        Assert.Contains("500", report.Reason, StringComparison.Ordinal);
        var state = Assert.Single(report.Workouts);
        Assert.Equal(WorkoutAvailability.None, state.Availability);
        Assert.Equal(3, state.FilesPlanned);
        Assert.Equal(0, state.FilesCached);

        // Once the API answers, retrying the failed files completes the workout.
        Origin.Faults.ClearAll();
        var retry = await host.Scheduler.RetryFailedAsync();
        Assert.Equal(SyncOutcome.Complete, retry.Outcome);
        Assert.Equal(3, retry.Downloaded);
        Assert.Equal(WorkoutAvailability.Full, (await host.Scheduler.GetWorkoutStateAsync("w-2"))!.Availability);
    }

    [Fact]
    public async Task SyncWorkout_WorkoutAnswers500_IsFailedNamingTheWorkoutAndTheStatus()
    {
        Origin.Faults.Set("/api/workouts/w-1", FakeFault.Status(500));
        await using var host = new SyncHost(Root, Origin.BaseAddress);

        var report = await host.Scheduler.SyncWorkoutAsync("w-1");
        var other = await host.Scheduler.SyncWorkoutAsync("w-2");

        Assert.Equal(SyncOutcome.Failed, report.Outcome);
        Assert.Contains("workout 'w-1'", report.Reason, StringComparison.Ordinal);
        Assert.Contains("500", report.Reason, StringComparison.Ordinal);
        Assert.Empty(report.Items);
        Assert.Equal(SyncOutcome.Complete, other.Outcome);
    }

    [Fact]
    public async Task SyncWorkout_UnknownWorkout_IsFailedSayingItDoesNotExist()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);

        var report = await host.Scheduler.SyncWorkoutAsync("w-nope");

        Assert.Equal(SyncOutcome.Failed, report.Outcome);
        Assert.Contains("does not exist", report.Reason, StringComparison.Ordinal);
        Assert.Null(await host.Scheduler.GetWorkoutStateAsync("w-nope"));
    }

    [Fact]
    public async Task SyncUpcoming_UpcomingListIsAnHtmlPage_IsFailedWithoutDownloading()
    {
        Origin.Faults.Set("/api/workouts/upcoming", FakeFault.HtmlPage());
        await using var host = new SyncHost(Root, Origin.BaseAddress);

        var report = await host.Scheduler.SyncUpcomingAsync();
        var scheduled = await host.Scheduler.RunScheduledAsync();

        Assert.Equal(SyncOutcome.Failed, report.Outcome);
        Assert.Contains("upcoming workouts", report.Reason, StringComparison.Ordinal);
        Assert.NotNull(scheduled);
        Assert.Equal(SyncOutcome.Failed, scheduled.Outcome);
        Assert.Empty(Origin.Requests.MediaRequests());
    }

    [Fact]
    public async Task SyncUpcoming_ApiBaseAddressNotSet_IsFailedNamingTheSetting()
    {
        await using var host = new SyncHost(Root, apiBaseAddress: null);

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Failed, report.Outcome);
        Assert.Contains("ApiBaseAddress", report.Reason, StringComparison.Ordinal);
    }
}
