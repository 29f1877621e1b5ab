using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OfflineMedia.Cache;
using OfflineMedia.Catalog;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Storage;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Sync;

/// <summary>
/// A catalog that lists what no sane one would (dates at the ends of time, ids no file can be named by, ids of dots,
/// tens of thousands of workouts): each bad workout or exercise fails alone, the others sync, and nothing throws.
/// </summary>
public sealed class SyncSchedulerHostileCatalogTests : OriginTestBase
{
    private static readonly DateTimeOffset s_endOfTime = new(9999, 12, 31, 23, 59, 59, TimeSpan.Zero);
    private static readonly string s_longId = new('a', 3000);

    protected override FakeMediaCatalog CreateCatalog() => new FakeMediaCatalog()
        .AddPhoneExercise("squat", image: 1_000, video: 2_000, poster: 500)
        .AddPhoneExercise("lunge", image: 1_000, video: 2_000, poster: 500)
        .AddWorkout("w-far", "Far Away", s_endOfTime, "squat")
        .AddWorkout("w-1", "Legs", DateTimeOffset.UtcNow.AddHours(2), "squat")
        .AddWorkout("w-long", "Long Id", DateTimeOffset.UtcNow.AddHours(3), "lunge", s_longId)
        .AddWorkout("w-bell", "Bell", DateTimeOffset.UtcNow.AddHours(4), "lunge", "squat\u0007")
        .AddWorkout("w-dots", "Dots", DateTimeOffset.UtcNow.AddHours(5), "lunge", "..", ".");

    [Fact]
    public async Task SyncWorkout_ScheduledOnTheLastSecondOf9999_SyncsAndPinsItsMediaWithoutOverflowing()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);

        var report = await host.Scheduler.SyncWorkoutAsync("w-far");

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.Equal(3, report.Downloaded);
        Assert.Equal(s_endOfTime, Assert.Single(report.Workouts).ScheduledAt);

        // Pinned (until the end of time): trimming the cache to nothing keeps the workout's files.
        await host.Cache.TrimAsync(0);
        Assert.All(SyncOrigin.PhoneKeys("squat"), key => Assert.NotNull(host.Cache.TryGetAsync(key).AsTask().Result));
    }

    [Fact]
    public async Task SyncUpcoming_HostCatalogWithDatesAtBothEndsOfTime_SyncsEveryWorkout()
    {
        var now = DateTimeOffset.UtcNow;
        var catalog = new ListCatalog(
        [
            new Workout("w-min", "Long Ago", DateTimeOffset.MinValue, [new WorkoutExercise("lunge", "Lunge")]),
            new Workout("w-max", "Far Away", DateTimeOffset.MaxValue, [new WorkoutExercise("squat", "Squat")]),
            new Workout("w-max-east", "Far Away East", new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.FromHours(14)), [new WorkoutExercise("squat", "Squat")]),
            new Workout("w-soon", "Soon", now.AddHours(1), [new WorkoutExercise("squat", "Squat")]),
        ]);
        await using var provider = Build(catalog);
        var scheduler = provider.GetRequiredService<ISyncScheduler>();

        var report = await scheduler.SyncUpcomingAsync();
        var scheduled = await scheduler.RunScheduledAsync();

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.Equal(6, report.Downloaded);
        Assert.Equal(["w-min", "w-max", "w-max-east", "w-soon"], report.Workouts.Select(w => w.WorkoutId));
        Assert.All(report.Workouts, w => Assert.Equal(WorkoutAvailability.Full, w.Availability));
        Assert.NotNull(scheduled); // The long-ago workout was forgotten after the first sync, so it is due again.
    }

    [Fact]
    public async Task SyncUpcoming_ExerciseIdsTheCacheRefuses_LeavesOutThoseWorkoutsWithAWarningAndSyncsTheOthers()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress, o => o.UpcomingWindow = TimeSpan.FromDays(1));

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Contains(report.Workouts, w => w.WorkoutId == "w-1");
        Assert.DoesNotContain(report.Workouts, w => w.WorkoutId is "w-long" or "w-bell");
        Assert.All(report.Items.Where(i => i.Key.ExerciseId == "squat"), i => Assert.Equal(SyncItemOutcome.Downloaded, i.Outcome));
        Assert.DoesNotContain(report.Items, i => i.Key.ExerciseId.Length > 100 || i.Key.ExerciseId.Any(char.IsControl));
        var warnings = host.Logs.GetSnapshot().Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Contains(warnings, m => m.Contains("workout 'w-long'", StringComparison.Ordinal) && m.Contains("3000 characters", StringComparison.Ordinal));
        Assert.Contains(warnings, m => m.Contains("workout 'w-bell'", StringComparison.Ordinal) && m.Contains("U+0007", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, m => m.Contains(s_longId, StringComparison.Ordinal) || m.Contains('\u0007', StringComparison.Ordinal));
        Assert.DoesNotContain(Origin.Requests.All, r => r.Path.Contains("aaaa", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncUpcoming_HostCatalogListsIdsTheCacheRefuses_FailsThoseExercisesOnlyAndSyncsTheRest()
    {
        var catalog = new ListCatalog(
        [
            new Workout("w-1", "Legs", DateTimeOffset.UtcNow.AddHours(1), [new("squat", "Squat"), new(s_longId, "Long"), new("bell\u0007", "Bell"), new(" ", "Blank")]),
            new Workout("w-2", "Lunges", DateTimeOffset.UtcNow.AddHours(2), [new("lunge", "Lunge")]),
        ]);
        await using var provider = Build(catalog);
        var scheduler = provider.GetRequiredService<ISyncScheduler>();

        var report = await scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Partial, report.Outcome);
        Assert.Equal(6, report.Downloaded);
        var refused = report.Items.Where(i => i.Outcome == SyncItemOutcome.Failed).ToList();
        Assert.Equal(new[] { s_longId, "bell\u0007", " " }.Order(StringComparer.Ordinal), refused.Select(i => i.Key.ExerciseId).Distinct().Order(StringComparer.Ordinal));
        Assert.All(refused, i =>
        {
            Assert.Contains("cannot be cached", i.Reason, StringComparison.Ordinal);
            Assert.DoesNotContain(i.Reason!, char.IsControl);
            Assert.Equal(["w-1"], i.WorkoutIds);
        });
        Assert.Equal(WorkoutAvailability.Partial, Assert.Single(report.Workouts, w => w.WorkoutId == "w-1").Availability);
        Assert.Equal(WorkoutAvailability.Full, Assert.Single(report.Workouts, w => w.WorkoutId == "w-2").Availability);
        Assert.Equal(SyncOutcome.Failed, (await scheduler.RetryFailedAsync()).Outcome);
    }

    [Fact]
    public async Task SyncWorkout_ExerciseIdsOfDots_FailThoseExercisesWithoutRequestingAnotherPath()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);

        var report = await host.Scheduler.SyncWorkoutAsync("w-dots");

        Assert.Equal(SyncOutcome.Partial, report.Outcome);
        Assert.All(report.Items.Where(i => i.Key.ExerciseId == "lunge"), i => Assert.Equal(SyncItemOutcome.Downloaded, i.Outcome));
        foreach (var dots in (string[])["..", "."])
        {
            var items = report.Items.Where(i => i.Key.ExerciseId == dots).ToList();
            Assert.NotEmpty(items);
            Assert.All(items, i => Assert.Contains("only dots", i.Reason, StringComparison.Ordinal));
        }

        Assert.Equal(["/api/workouts/w-dots", "/api/exercises/lunge/media"], Origin.Requests.All.Where(r => r.Path.StartsWith("/api/", StringComparison.Ordinal)).Select(r => r.Path));
    }

    [Fact]
    public async Task SyncUpcoming_30000WorkoutsWithoutExercises_FinishesWithinSeconds()
    {
        var workouts = Workouts(30_000);
        await using var provider = Build(new ListCatalog(workouts));

        var clock = Stopwatch.StartNew();
        var report = await provider.GetRequiredService<ISyncScheduler>().SyncUpcomingAsync();

        // Before, each workout scanned the plan and wrote its state in a transaction of its own: over 30 s here.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(30_000, report.Workouts.Count);
    }

    [Fact]
    public async Task SyncUpcoming_30000WorkoutsSharingOneExerciseWithAvailabilityWatched_PlansWithinASecond()
    {
        var workouts = Workouts(30_000, "squat");
        await using var provider = Build(new ListCatalog(workouts), logged: true);
        var logs = provider.GetFakeLogCollector();
        var changes = 0;
        provider.GetRequiredService<IOfflineMediaManager>().AvailabilityChanged += (_, _) => Interlocked.Increment(ref changes);

        var clock = Stopwatch.StartNew();
        var report = await provider.GetRequiredService<ISyncScheduler>().SyncUpcomingAsync();

        // Before, planning scanned every planned file for each workout and each finished file re-read every workout's
        // state: 8,000 workouts took 44 s, 30,000 more than 150 s. Planning is now passes with lookups; what is left of the
        // sync is writing each workout's plan and pins (one row per workout and file), linear in both.
        var planned = Assert.Single(logs.GetSnapshot(), e => e.Id.Id == 241);
        var planMilliseconds = double.Parse(planned.Message.Split(" in ")[1].Split(" ms")[0], CultureInfo.InvariantCulture);
        Assert.True(planMilliseconds < 1000, planned.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.Equal(3, report.Downloaded);
        Assert.Equal(30_000, report.Items[0].WorkoutIds.Count);
        Assert.All(report.Workouts, w => Assert.Equal(WorkoutAvailability.Full, w.Availability));
        Assert.Equal(3 * 30_000, changes); // Each workout: None at the start, Partial after its first file, Full after its last.
    }

    /// <summary><paramref name="count"/> workouts ten seconds apart, each with all of <paramref name="exerciseIds"/>.</summary>
    private static List<Workout> Workouts(int count, params string[] exerciseIds)
    {
        var now = DateTimeOffset.UtcNow;
        return
        [
            .. Enumerable.Range(0, count).Select(i => new Workout(
                $"w-{i}", $"Workout {i}", now.AddSeconds(10 + (i * 10)), [.. exerciseIds.Select(id => new WorkoutExercise(id, id))])),
        ];
    }

    /// <summary>The SDK as an app with its own workout catalog wires it; exercise media still come from the fake origin.</summary>
    private ServiceProvider Build(IWorkoutCatalog catalog, bool logged = false)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            if (logged)
            {
                logging.SetMinimumLevel(LogLevel.Debug).AddFakeLogging();
            }
        });
        services.AddSingleton(catalog); // The app's own catalog wins over the default HTTP one.
        services.AddOfflineMedia(o =>
            {
                o.ApiBaseAddress = Origin.BaseAddress;
                o.CacheDirectory = Root;
                o.StorageReserveBytes = 0;
            })
            .UseConnectivityProbe(new FakeConnectivityProbe(FakeConnectivityProbe.WiFi))
            .UseStorageProbe(FakeStorageProbe.WithGigabytes(100))
            .UseDisplayProbe(new FakeDisplayProbe(FakeDisplayProbe.Phone));
        return services.BuildServiceProvider();
    }

    private sealed class ListCatalog(IReadOnlyList<Workout> workouts) : IWorkoutCatalog
    {
        public Task<Workout> GetWorkoutAsync(string workoutId, CancellationToken cancellationToken = default) =>
            Task.FromResult(workouts.First(w => w.Id == workoutId));

        public Task<IReadOnlyList<Workout>> GetUpcomingAsync(TimeSpan window, CancellationToken cancellationToken = default) => Task.FromResult(workouts);
    }
}
