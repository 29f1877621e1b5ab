using NSubstitute;
using OfflineMedia.Cache;
using OfflineMedia.Catalog;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.Tests.Sync;

/// <summary>The planner over a substituted media API, saving plans in a real <c>sync.db</c> in a temp folder.</summary>
public sealed class SyncPlannerTests : IDisposable
{
    private static readonly DateTimeOffset s_monday = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly string _directory = SyncParts.NewFolder();
    private readonly IWorkoutCatalog _catalog = Substitute.For<IWorkoutCatalog>();
    private readonly IExerciseMediaClient _mediaClient = Substitute.For<IExerciseMediaClient>();
    private readonly IMediaCache _cache = Substitute.For<IMediaCache>();
    private readonly OfflineMediaOptions _options;
    private readonly SyncParts _parts;

    public SyncPlannerTests()
    {
        _options = new OfflineMediaOptions { CacheDirectory = _directory };
        _cache.GetEntriesAsync(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(Task.FromResult<IReadOnlyList<CachedMedia>>([]));
        _parts = new SyncParts(_options, _cache, new FakeConnectivityProbe(FakeConnectivityProbe.WiFi), FakeStorageProbe.WithGigabytes(100), _catalog, _mediaClient);
    }

    public void Dispose() => _parts.Dispose();

    [Fact]
    public async Task PlanAsync_AnExerciseInSeveralWorkouts_IsAskedForOnceAndPlannedOnceWithItsWorkoutsAndTheSoonestDate()
    {
        GivenMedia("squat", "lunge");
        var later = Workout("w-2", s_monday.AddDays(2), "squat");
        var sooner = Workout("w-1", s_monday, "lunge", "squat", "squat");

        var plan = await _parts.Planner.PlanAsync([later, sooner], only: null, _options, CancellationToken.None);

        await _mediaClient.Received(1).GetMediaAsync("squat", Arg.Any<CancellationToken>());
        var squat = plan.Items[new MediaKey("squat", MediaKind.Image, MediaVariantNames.Medium)];
        Assert.Equal(["w-2", "w-1"], squat.WorkoutIds);
        Assert.Equal(s_monday, squat.NeededAt);
        Assert.Equal(6, plan.Items.Count);
        Assert.Equal(6, plan.NeedsOf("w-1").Count);
        Assert.Equal(3, plan.PinsOf("w-2").Count);
    }

    [Fact]
    public async Task PlanAsync_TheMediaApiFailsForOneExercise_ItsSlotsFailAtTypicalSizesInTheSavedPlanAndTheOthersArePlanned()
    {
        GivenMedia("squat");
        _mediaClient.GetMediaAsync("lunge", Arg.Any<CancellationToken>()).Returns<ExerciseMediaInfo>(_ => throw new CatalogException(CatalogError.Network, "offline"));

        var plan = await _parts.Planner.PlanAsync([Workout("w-1", s_monday, "squat", "lunge")], only: null, _options, CancellationToken.None);

        Assert.Equal(3, plan.Items.Count);
        Assert.Equal(3, plan.Failed.Count);
        Assert.All(plan.Failed.Values, f => Assert.Equal("offline", f.Reason));
        Assert.Equal(6, plan.NeedsOf("w-1").Count);
        Assert.All(plan.NeedsOf("w-1").Where(n => n.Key.ExerciseId == "lunge"), n => Assert.True(n.EstimatedBytes > 0));
        Assert.DoesNotContain(plan.PinsOf("w-1"), k => k.ExerciseId == "lunge");
    }

    [Fact]
    public async Task PlanAsync_ARetry_PlansOnlyTheFailedSlotsAndKeepsTheWorkoutsOtherFilesAsSaved()
    {
        GivenMedia("squat", "lunge");
        var workout = Workout("w-1", s_monday, "squat", "lunge");
        await _parts.Planner.PlanAsync([workout], only: null, _options, CancellationToken.None);

        var plan = await _parts.Planner.PlanAsync([workout], [("lunge", MediaKind.Video, false)], _options, CancellationToken.None);

        var item = Assert.Single(plan.Items.Values);
        Assert.Equal(new MediaKey("lunge", MediaKind.Video, MediaVariantNames.Video720p), item.Key);
        await _mediaClient.Received(1).GetMediaAsync("squat", Arg.Any<CancellationToken>());
        Assert.Equal(6, plan.NeedsOf("w-1").Count);
        Assert.Equal(6, _parts.State.Store.Find("w-1")!.Items.Count);
    }

    [Fact]
    public async Task PlanWorkoutAsync_NeverPlanned_SavesItsPlanAndTellsWhatIsMissingWithoutDownloading()
    {
        GivenMedia("squat");
        _catalog.GetWorkoutAsync("w-1", Arg.Any<CancellationToken>()).Returns(Workout("w-1", s_monday, "squat"));

        var state = await _parts.Planner.PlanWorkoutAsync("w-1", CancellationToken.None);

        Assert.Equal(WorkoutAvailability.None, state.Availability);
        Assert.Equal(3, state.FilesPlanned);
        Assert.Equal(1_000 + 10_000 + 200, state.BytesMissing);
        await _cache.DidNotReceiveWithAnyArgs().GetOrDownloadAsync(default!, default!, default, default);
    }

    private static Workout Workout(string id, DateTimeOffset at, params string[] exercises) =>
        new(id, id, at, [.. exercises.Select(e => new WorkoutExercise(e, e))]);

    /// <summary>Each exercise offers medium (1 000 B), 720p (10 000 B) and a poster (200 B).</summary>
    private void GivenMedia(params string[] exerciseIds)
    {
        foreach (var id in exerciseIds)
        {
            _mediaClient.GetMediaAsync(id, Arg.Any<CancellationToken>()).Returns(new ExerciseMediaInfo(
                [new MediaVariant("medium", $"/{id}/m.jpg", 1_000)],
                [new MediaVariant("720p", $"/{id}/v.mp4", 10_000), new MediaVariant("poster", $"/{id}/p.jpg", 200)]));
        }
    }
}
