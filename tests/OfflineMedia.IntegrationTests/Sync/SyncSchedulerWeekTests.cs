using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Sync;

/// <summary>A week of workouts synced from scratch on Wi-Fi: every file once, verified, and every workout available offline.</summary>
public sealed class SyncSchedulerWeekTests : OriginTestBase
{
    private static readonly string[] s_upcoming = ["w-1", "w-2", "w-3", "w-4", "w-5", "w-6"];

    protected override FakeMediaCatalog CreateCatalog() => FakeMediaCatalog.CreateWeek(DateTimeOffset.UtcNow, scale: 1000);

    [Fact]
    public async Task SyncUpcoming_WeekOnWiFi_DownloadsEachDeduplicatedFileOnceVerifiedAndEveryWorkoutIsFull()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        var catalog = Origin.Catalog;
        var upcoming = s_upcoming.Select(catalog.GetWorkout).ToList();
        var exercises = upcoming.SelectMany(w => w.ExerciseIds).Distinct(StringComparer.Ordinal).ToArray();

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.Null(report.Reason);

        // One item per (exercise, kind, variant) a phone takes, although exercises recur across workouts.
        Assert.Equal(SyncOrigin.PhoneKeys(exercises), report.Items.Select(i => i.Key).ToHashSet());
        Assert.Equal(exercises.Length * 3, report.Items.Count);
        Assert.DoesNotContain(report.Items, i => i.WorkoutIds.Contains("w-past") || i.WorkoutIds.Contains("w-later"));
        foreach (var item in report.Items)
        {
            var variant = catalog.VariantOf(item.Key);
            Assert.Equal(SyncItemOutcome.Downloaded, item.Outcome);
            Assert.Null(item.Reason);
            Assert.True(File.Exists(item.LocalPath), $"{item.Key} is not on disk at {item.LocalPath}");
            Assert.StartsWith(Path.GetFullPath(Root), Path.GetFullPath(item.LocalPath!), StringComparison.Ordinal);
            Assert.Equal(variant.SizeBytes, item.Bytes);
            Assert.Equal(variant.SizeBytes, new FileInfo(item.LocalPath!).Length);
            Assert.Equal(variant.KeptSha256(), item.Sha256);
            Assert.Equal(variant.Sha256, CacheFolder.Sha256(item.LocalPath!));
            var users = upcoming.Where(w => w.ExerciseIds.Contains(item.Key.ExerciseId)).Select(w => w.Id);
            Assert.Equal(users.Order(StringComparer.Ordinal), item.WorkoutIds.Order(StringComparer.Ordinal));
            Assert.Equal(1, Origin.Requests.CountRequests(variant));
        }

        Assert.Equal(report.Items.Count, Origin.Requests.MediaRequests().Count);
        Assert.Equal(report.Items.Sum(i => i.Bytes), report.BytesDownloaded);
        Assert.Empty(CacheFolder.TempFiles(Root));

        Assert.Equal(s_upcoming, report.Workouts.Select(w => w.WorkoutId).Order(StringComparer.Ordinal));
        Assert.All(report.Workouts, w =>
        {
            Assert.Equal(WorkoutAvailability.Full, w.Availability);
            Assert.Equal(0, w.BytesMissing);
        });

        foreach (var workout in upcoming)
        {
            var state = await host.Scheduler.GetWorkoutStateAsync(workout.Id);
            Assert.NotNull(state);
            Assert.Equal(WorkoutAvailability.Full, state.Availability);
            Assert.Equal(0, state.BytesMissing);
            Assert.Equal(workout.Name, state.Name);
            Assert.Equal(workout.ScheduledAt, state.ScheduledAt, TimeSpan.FromMilliseconds(1)); // Stored to the millisecond.
            Assert.NotNull(state.LastSyncedAt);
            Assert.Equal(workout.ExerciseIds.Distinct().Count() * 3, state.FilesPlanned);
            Assert.Equal(state.FilesPlanned, state.FilesCached);
            var expectedBytes = SyncOrigin.PhoneKeys([.. workout.ExerciseIds]).Sum(k => catalog.VariantOf(k).SizeBytes);
            Assert.Equal(expectedBytes, state.BytesCached);
        }

        Assert.Null(await host.Scheduler.GetWorkoutStateAsync("w-later"));
        Assert.Null(await host.Scheduler.GetWorkoutStateAsync("w-past"));
    }

    [Fact]
    public async Task SyncUpcoming_WeekOnWiFi_PinsTheSyncedMediaSoTrimmingToZeroKeepsThem()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);

        var report = await host.Scheduler.SyncUpcomingAsync();
        var trim = await host.Cache.TrimAsync(0);

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.Equal(0, trim.EvictedCount);
        Assert.False(trim.WithinBudget);
        foreach (var item in report.Items)
        {
            var cached = await host.Cache.TryGetAsync(item.Key);
            Assert.NotNull(cached);
            Assert.NotNull(cached.PinnedUntil);
        }
    }

    [Fact]
    public async Task SyncWorkout_OneWorkout_DownloadsOnlyItsExercisesAndOtherWorkoutsStayUnknown()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        var workout = Origin.Catalog.GetWorkout("w-2");

        var report = await host.Scheduler.SyncWorkoutAsync("w-2");

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.Equal(SyncOrigin.PhoneKeys([.. workout.ExerciseIds]), report.Items.Select(i => i.Key).ToHashSet());
        Assert.All(report.Items, i => Assert.Equal(["w-2"], i.WorkoutIds));
        var state = Assert.Single(report.Workouts);
        Assert.Equal("w-2", state.WorkoutId);
        Assert.Equal(WorkoutAvailability.Full, state.Availability);
        Assert.Null(await host.Scheduler.GetWorkoutStateAsync("w-1"));
    }

    [Fact]
    public async Task SyncUpcoming_NoDisplayProbe_DesktopTakesLargeImagesAnd1080pVideos()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress, display: new FakeDisplayProbe(null));

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.All(report.Items, i => Assert.Contains(i.Key.Variant, new[] { MediaVariantNames.Large, MediaVariantNames.Video1080p, MediaVariantNames.Poster }));
        Assert.Contains(report.Items, i => i.Key is { Kind: MediaKind.Video, Variant: MediaVariantNames.Video1080p });
    }

    [Fact]
    public async Task SyncUpcoming_MediaOnASignedCdn_DownloadsFromTheAbsoluteUrlsAndAResyncFetchesNothing()
    {
        await using var cdn = await FakeMediaOrigin.StartAsync(Origin.Catalog, new FakeMediaOriginOptions
        {
            MediaUrlStyle = FakeMediaUrlStyle.SignedCdn,
            EnforceSignedUrlExpiry = true,
        });
        await using var host = new SyncHost(Root, cdn.BaseAddress);

        var first = await host.Scheduler.SyncUpcomingAsync();
        var second = await host.Scheduler.SyncUpcomingAsync(); // New signatures, same keys: nothing to fetch.

        Assert.Equal(SyncOutcome.Complete, first.Outcome);
        Assert.All(cdn.Requests.All.Where(r => !r.Path.StartsWith("/api/", StringComparison.Ordinal)), r =>
        {
            Assert.StartsWith("/cdn/", r.Path, StringComparison.Ordinal);
            Assert.Contains("sig=", r.Query, StringComparison.Ordinal);
            Assert.Equal(200, r.StatusCode);
        });
        Assert.Equal(first.Items.Count, cdn.Requests.All.Count(r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal)));
        Assert.Equal(first.Items.Count, second.Cached);
        Assert.DoesNotContain(host.Logs.GetSnapshot(), e => e.Message.Contains("sig=", StringComparison.Ordinal)); // Signed queries never reach the logs.
    }
}
