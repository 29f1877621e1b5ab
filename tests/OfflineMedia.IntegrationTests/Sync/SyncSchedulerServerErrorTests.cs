using System.Diagnostics;
using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Sync;

/// <summary>Server errors fail only the files they hit, each with its reason; transient ones are retried, honouring Retry-After.</summary>
public sealed class SyncSchedulerServerErrorTests : OriginTestBase
{
    private FakeMediaCatalog Catalog => Origin.Catalog;

    protected override FakeMediaCatalog CreateCatalog() => new FakeMediaCatalog()
        .AddPhoneExercise("squat")
        .AddPhoneExercise("lunge", form: FakeVariantForm.PlainUrl)
        .AddPhoneExercise("deadlift")
        .AddPhoneExercise("plank")
        .AddWorkout("w-1", "Legs", DateTimeOffset.UtcNow.AddHours(2), "squat", "lunge", "deadlift")
        .AddWorkout("w-2", "Pull", DateTimeOffset.UtcNow.AddDays(1), "deadlift", "plank");

    [Fact]
    public async Task SyncUpcoming_OneExercisesMediaAnswers500_FailsOnlyItsFilesNaming500AndTheRestDownload()
    {
        var broken = SyncOrigin.PhoneKeys("deadlift");
        foreach (var key in broken)
        {
            Origin.Faults.Set(Catalog.VariantOf(key), FakeFault.Status(500));
        }

        await using var host = new SyncHost(Root, Origin.BaseAddress);

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Partial, report.Outcome);
        Assert.Contains("500", report.Reason, StringComparison.Ordinal);
        Assert.Equal(12, report.Items.Count);
        foreach (var item in report.Items)
        {
            if (broken.Contains(item.Key))
            {
                Assert.Equal(SyncItemOutcome.Failed, item.Outcome);
                Assert.Contains("500", item.Reason, StringComparison.Ordinal);
                Assert.Equal(MediaCacheError.HttpStatus, item.Error);
                Assert.Null(item.LocalPath);
                Assert.Equal(4, Origin.Requests.CountRequests(Catalog.VariantOf(item.Key))); // MaxDownloadAttempts: 500 is transient.
            }
            else
            {
                Assert.Equal(SyncItemOutcome.Downloaded, item.Outcome);
                Assert.True(File.Exists(item.LocalPath));
            }
        }

        Assert.All(report.Workouts, w => Assert.Equal(WorkoutAvailability.Partial, w.Availability));
    }

    [Fact]
    public async Task RetryFailed_AfterTheFaultClears_RetriesOnlyTheFailedFilesAndTheWorkoutsBecomeFull()
    {
        var broken = SyncOrigin.PhoneKeys("deadlift");
        foreach (var key in broken)
        {
            Origin.Faults.Set(Catalog.VariantOf(key), FakeFault.Status(500));
        }

        await using var host = new SyncHost(Root, Origin.BaseAddress);
        var first = await host.Scheduler.SyncUpcomingAsync();
        var plannedBefore = (await host.Scheduler.GetWorkoutStateAsync("w-1"))!.FilesPlanned;
        Assert.Equal(SyncOutcome.Partial, first.Outcome);

        Origin.Faults.ClearAll();
        var requestsBefore = Origin.Requests.Count;
        var retry = await host.Scheduler.RetryFailedAsync();

        Assert.Equal(SyncOutcome.Complete, retry.Outcome);
        Assert.Equal(broken, retry.Items.Select(i => i.Key).ToHashSet());
        Assert.All(retry.Items, i => Assert.Equal(SyncItemOutcome.Downloaded, i.Outcome));
        var during = Origin.Requests.All.Skip(requestsBefore).ToList();
        var media = during.Where(r => r.Path.StartsWith("/media/", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, media.Count);
        Assert.All(media, r => Assert.Contains("/deadlift/", r.Path, StringComparison.Ordinal));
        Assert.Equal(["/api/exercises/deadlift/media"], during.Where(r => r.Path.StartsWith("/api/exercises/", StringComparison.Ordinal)).Select(r => r.Path));

        foreach (var workout in new[] { "w-1", "w-2" })
        {
            var state = await host.Scheduler.GetWorkoutStateAsync(workout);
            Assert.NotNull(state);
            Assert.Equal(WorkoutAvailability.Full, state.Availability);
            Assert.Equal(0, state.BytesMissing);
        }

        // The retry does not shrink what the workouts are known to need.
        Assert.Equal(plannedBefore, (await host.Scheduler.GetWorkoutStateAsync("w-1"))!.FilesPlanned);
        Assert.Equal(9, plannedBefore);

        var again = await host.Scheduler.RetryFailedAsync();
        Assert.Equal(SyncOutcome.Complete, again.Outcome);
        Assert.Empty(again.Items);
    }

    [Fact]
    public async Task RetryFailed_RetryOfAWorkoutThatStillMissesOtherFiles_KeepsItPartialAndDueForTheScheduledSync()
    {
        var catalog = new FakeMediaCatalog()
            .AddPhoneExercise("squat")
            .AddPhoneExercise("deadlift")
            .AddPhoneExercise("plank")
            .AddWorkout("w-1", "Legs", DateTimeOffset.UtcNow.AddHours(2), "squat", "deadlift")
            .AddWorkout("w-2", "Pull", DateTimeOffset.UtcNow.AddDays(1), "deadlift", "plank");
        await using var origin = await FakeMediaOrigin.StartAsync(catalog);
        foreach (var variant in catalog.GetExercise("deadlift").Variants)
        {
            origin.Faults.Set(variant, FakeFault.Status(500));
        }

        // The first sync: deadlift fails (500) and, on a device short of storage (thumbnails then), plank's video (the latest) is left out.
        var plankVideo = new MediaKey("plank", MediaKind.Video, MediaVariantNames.Video720p);
        await using var host = new SyncHost(Root, origin.BaseAddress, storage: new FakeStorageProbe(120_000));
        var first = await host.Scheduler.SyncUpcomingAsync();
        Assert.Equal(SyncItemOutcome.Skipped, first.Item(plankVideo).Outcome);
        Assert.Equal(SyncItemOutcome.Failed, first.Item(new MediaKey("deadlift", MediaKind.Video, MediaVariantNames.Video720p)).Outcome);

        origin.Faults.ClearAll();
        host.Storage.AvailableBytes = 100L * 1024 * 1024;
        var retry = await host.Scheduler.RetryFailedAsync();
        Assert.Equal(SyncOutcome.Complete, retry.Outcome);
        Assert.Equal(3, retry.Downloaded);

        // w-2 still lacks plank's video: it is not available offline, and the scheduled sync fetches it.
        var w2 = await host.Scheduler.GetWorkoutStateAsync("w-2");
        Assert.Equal(WorkoutAvailability.Partial, w2!.Availability);
        Assert.Equal(6, w2.FilesPlanned);
        Assert.Equal(WorkoutAvailability.Partial, Assert.Single(retry.Workouts, w => w.WorkoutId == "w-2").Availability);
        var scheduled = await host.Scheduler.RunScheduledAsync();
        Assert.NotNull(scheduled);
        Assert.Equal(SyncItemOutcome.Downloaded, scheduled.Item(plankVideo).Outcome);
        Assert.Equal(1, scheduled.Downloaded);
        Assert.Equal(WorkoutAvailability.Full, (await host.Scheduler.GetWorkoutStateAsync("w-2"))!.Availability);
    }

    [Fact]
    public async Task SyncUpcoming_429WithRetryAfter_WaitsAtLeastThatLongThenDownloads()
    {
        var image = Catalog.GetVariant("squat", FakeMediaKind.Image, MediaVariantNames.Medium);
        Origin.Faults.Set(image, FakeFault.Status(429, TimeSpan.FromSeconds(1), times: 1));
        await using var host = new SyncHost(Root, Origin.BaseAddress);

        var clock = Stopwatch.StartNew();
        var report = await host.Scheduler.SyncWorkoutAsync("w-1");
        clock.Stop();

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.Equal(SyncItemOutcome.Downloaded, report.Item(image.ToKey()).Outcome);
        var requests = Origin.Requests.ForPath(image);
        Assert.Equal(2, requests.Count);
        Assert.Equal(429, requests[0].StatusCode);
        Assert.Equal(200, requests[1].StatusCode);
        Assert.True(requests[1].Timestamp - requests[0].Timestamp >= TimeSpan.FromMilliseconds(950),
            $"the retry came {(requests[1].Timestamp - requests[0].Timestamp).TotalMilliseconds} ms after the 429");
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(950));
        Assert.Contains(host.Logs.GetSnapshot(), e => e.Message.Contains("retrying in 1000 ms", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncUpcoming_503WithARetryAfterBeyondTwoMinutes_FailsAtOnceInsteadOfWaiting()
    {
        var image = Catalog.GetVariant("squat", FakeMediaKind.Image, MediaVariantNames.Medium);
        Origin.Faults.Set(image, FakeFault.Status(503, TimeSpan.FromMinutes(10)));
        await using var host = new SyncHost(Root, Origin.BaseAddress);

        var report = await host.Scheduler.SyncWorkoutAsync("w-1").WaitAsync(TimeSpan.FromSeconds(20));

        var item = report.Item(image.ToKey());
        Assert.Equal(SyncItemOutcome.Failed, item.Outcome);
        Assert.Contains("503", item.Reason, StringComparison.Ordinal);
        Assert.Single(Origin.Requests.ForPath(image));
        Assert.Equal(SyncOutcome.Partial, report.Outcome);
    }

    [Fact]
    public async Task SyncUpcoming_404ForOneFile_FailsItWithoutRetrying()
    {
        var video = Catalog.GetVariant("lunge", FakeMediaKind.Video, MediaVariantNames.Video720p);
        Origin.Faults.Set(video, FakeFault.Status(404));
        await using var host = new SyncHost(Root, Origin.BaseAddress);

        var report = await host.Scheduler.SyncWorkoutAsync("w-1");

        var item = report.Item(video.ToKey());
        Assert.Equal(SyncItemOutcome.Failed, item.Outcome);
        Assert.Contains("404", item.Reason, StringComparison.Ordinal);
        Assert.Single(Origin.Requests.ForPath(video));
        Assert.Equal(8, report.Downloaded);
    }

    [Fact]
    public async Task SyncUpcoming_ConnectionDroppedOnce_ResumesAndDownloads()
    {
        var video = Catalog.GetVariant("squat", FakeMediaKind.Video, MediaVariantNames.Video720p);
        Origin.Faults.Set(video, FakeFault.DropAfter(10_000) with { Times = 1 });
        await using var host = new SyncHost(Root, Origin.BaseAddress);

        var report = await host.Scheduler.SyncWorkoutAsync("w-1");

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        var item = report.Item(video.ToKey());
        Assert.Equal(video.Sha256, item.Sha256);
        var requests = await Origin.Requests.CompletedAsync(video);
        Assert.Equal(2, requests.Count);
        Assert.StartsWith("bytes=", requests[1].Range, StringComparison.Ordinal);
        Assert.Equal(206, requests[1].StatusCode);
    }

    [Fact]
    public async Task SyncUpcoming_CaptivePortalPageInsteadOfMedia_FailsThatFileAsNotMedia()
    {
        var video = Catalog.GetVariant("squat", FakeMediaKind.Video, MediaVariantNames.Video720p);
        Origin.Faults.Set(video, FakeFault.HtmlPage());
        await using var host = new SyncHost(Root, Origin.BaseAddress);

        var report = await host.Scheduler.SyncWorkoutAsync("w-1");

        var item = report.Item(video.ToKey());
        Assert.Equal(SyncItemOutcome.Failed, item.Outcome);
        Assert.Equal(MediaCacheError.VerificationFailed, item.Error);
        Assert.Null(await host.Cache.TryGetAsync(video.ToKey()));
        Assert.Equal(SyncOutcome.Partial, report.Outcome);
    }
}
