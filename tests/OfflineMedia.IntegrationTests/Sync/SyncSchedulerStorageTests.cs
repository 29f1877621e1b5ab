using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Sync;

/// <summary>A plan that does not fit is cut with a reason naming storage, soonest workouts and images first, and never leaves half a file.</summary>
public sealed class SyncSchedulerStorageTests : OriginTestBase
{
    protected override FakeMediaCatalog CreateCatalog()
    {
        // Sizes in the rich form, so the plan's estimate is exact: 46 KB per exercise.
        var catalog = new FakeMediaCatalog()
            .AddPhoneExercise("squat")
            .AddPhoneExercise("lunge")
            .AddPhoneExercise("plank")
            .AddPhoneExercise("row")
            .AddWorkout("w-soon", "Legs", DateTimeOffset.UtcNow.AddHours(2), "squat", "lunge")
            .AddWorkout("w-later", "Core", DateTimeOffset.UtcNow.AddDays(3), "plank", "row");
        return catalog;
    }

    [Fact]
    public async Task SyncUpcoming_DeviceShortOfStorage_LeavesOutTheLatestWorkoutsVideosFirstWithInsufficientSpace()
    {
        // Room for the soon workout (92 KB) and the later workout's images (12 KB), not its videos.
        await using var host = new SyncHost(Root, Origin.BaseAddress, storage: new FakeStorageProbe(100_000));

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Partial, report.Outcome);
        Assert.Contains("not enough storage", report.Reason, StringComparison.Ordinal);
        var skipped = report.Items.Where(i => i.Outcome == SyncItemOutcome.Skipped).ToList();
        Assert.Equal(
            [new MediaKey("plank", MediaKind.Video, MediaVariantNames.Video720p), new MediaKey("row", MediaKind.Video, MediaVariantNames.Video720p)],
            skipped.Select(i => i.Key).OrderBy(k => k.ExerciseId, StringComparer.Ordinal).ToList());
        Assert.All(skipped, i =>
        {
            Assert.Equal(MediaCacheError.InsufficientSpace, i.Error);
            Assert.Contains("storage", i.Reason, StringComparison.Ordinal);
            Assert.Null(i.LocalPath);
        });
        Assert.Empty(Origin.Requests.ForPath(Origin.Catalog.GetVariant("plank", FakeMediaKind.Video, "720p")));
        Assert.Empty(Origin.Requests.ForPath(Origin.Catalog.GetVariant("row", FakeMediaKind.Video, "720p")));
        await AssertOnlyCompleteFilesAsync(host, report, Origin.Catalog);

        var soon = await host.Scheduler.GetWorkoutStateAsync("w-soon");
        var later = await host.Scheduler.GetWorkoutStateAsync("w-later");
        Assert.Equal(WorkoutAvailability.Full, soon!.Availability);
        Assert.Equal(WorkoutAvailability.Partial, later!.Availability);
        Assert.Equal(80_000, later.BytesMissing);
    }

    [Fact]
    public async Task SyncUpcoming_NoStorageAtAll_IsSkippedNamingStorageAndDownloadsNothing()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress, storage: new FakeStorageProbe(0));

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Skipped, report.Outcome);
        Assert.Contains("not enough storage", report.Reason, StringComparison.Ordinal);
        Assert.All(report.Items, i =>
        {
            Assert.Equal(SyncItemOutcome.Skipped, i.Outcome);
            Assert.Equal(MediaCacheError.InsufficientSpace, i.Error);
        });
        Assert.Empty(Origin.Requests.MediaRequests());
        Assert.Empty(CacheFolder.MediaFiles(Root));
        Assert.Empty(CacheFolder.PartialFiles(Root));
    }

    [Fact]
    public async Task SyncUpcoming_CacheLimitSmallerThanThePlan_StaysWithinTheLimitAndSkipsTheRest()
    {
        const long Limit = 1024 * 1024;
        var catalog = new FakeMediaCatalog()
            .AddPhoneExercise("squat", video: 400_000)
            .AddPhoneExercise("lunge", video: 400_000)
            .AddPhoneExercise("plank", video: 400_000)
            .AddWorkout("w-1", "All", DateTimeOffset.UtcNow.AddHours(2), "squat", "lunge", "plank");
        await using var origin = await FakeMediaOrigin.StartAsync(catalog);
        await using var host = new SyncHost(Root, origin.BaseAddress, o => o.CacheSizeLimitBytes = Limit);

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Partial, report.Outcome);
        Assert.Contains("not enough storage", report.Reason, StringComparison.Ordinal);
        var skipped = Assert.Single(report.Items, i => i.Outcome == SyncItemOutcome.Skipped);
        Assert.Equal(MediaKind.Video, skipped.Key.Kind);
        Assert.Equal(MediaCacheError.InsufficientSpace, skipped.Error);
        var usage = await host.Cache.GetUsageAsync();
        Assert.InRange(usage.TotalBytes, 1, Limit);
        await AssertOnlyCompleteFilesAsync(host, report, catalog);
    }

    [Fact]
    public async Task SyncUpcoming_ServerSendsMoreThanTheEstimateAndTheDiskCannotTakeIt_FailsThatFileWithoutWritingIt()
    {
        // Plain URLs: a phone short of storage takes the small image, estimated at its typical 200 KB; the
        // server sends 1.2 MB and the device has 1 MB.
        var catalog = new FakeMediaCatalog()
            .AddExercise("squat", "Squat", e => e.AddImage("small", 1_200_000).AddVideo("poster", 2_000))
            .AddWorkout("w-1", "Legs", DateTimeOffset.UtcNow.AddHours(2), "squat");
        await using var origin = await FakeMediaOrigin.StartAsync(catalog);
        await using var host = new SyncHost(Root, origin.BaseAddress, o => o.DownloadVideos = false, storage: new FakeStorageProbe(1_000_000));
        var image = new MediaKey("squat", MediaKind.Image, MediaVariantNames.Small);

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Partial, report.Outcome);
        var failed = report.Item(image);
        Assert.Equal(SyncItemOutcome.Failed, failed.Outcome);
        Assert.Equal(MediaCacheError.InsufficientSpace, failed.Error);
        Assert.Contains("needs 1200000 bytes", failed.Reason, StringComparison.Ordinal);
        Assert.Single(origin.Requests.ForPath(catalog.GetVariant("squat", FakeMediaKind.Image, "small"))); // Not transient: not retried.
        Assert.Equal(SyncItemOutcome.Downloaded, report.Item(new MediaKey("squat", MediaKind.Image, MediaVariantNames.Poster)).Outcome);
        Assert.Null(await host.Cache.TryGetAsync(image));
        await AssertOnlyCompleteFilesAsync(host, report, catalog);
    }

    /// <summary>Every file on disk is a complete, reported download; nothing partial is left; the cache reports exactly those.</summary>
    private async Task AssertOnlyCompleteFilesAsync(SyncHost host, SyncReport report, FakeMediaCatalog catalog)
    {
        await SyncOrigin.WaitForReleasedPartialsAsync(Root);
        Assert.Empty(CacheFolder.PartialFiles(Root));
        var downloaded = report.Items.Where(i => i.Outcome == SyncItemOutcome.Downloaded).ToList();
        Assert.Equal(
            downloaded.Select(i => Path.GetFullPath(i.LocalPath!)).Order(StringComparer.Ordinal),
            CacheFolder.MediaFiles(Root).Select(Path.GetFullPath));
        foreach (var item in report.Items)
        {
            var cached = await host.Cache.TryGetAsync(item.Key);
            if (item.Outcome == SyncItemOutcome.Downloaded)
            {
                Assert.NotNull(cached);
                Assert.Equal(item.Bytes, new FileInfo(cached.LocalPath).Length);
                Assert.Equal(catalog.VariantOf(item.Key).Sha256, CacheFolder.Sha256(cached.LocalPath));
            }
            else
            {
                Assert.Null(cached);
            }
        }

        var usage = await host.Cache.GetUsageAsync();
        Assert.Equal(downloaded.Count, usage.Count);
        Assert.Equal(downloaded.Sum(i => i.Bytes), usage.TotalBytes);
    }
}
