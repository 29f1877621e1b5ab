using System.Globalization;
using OfflineMedia.Testing;

namespace OfflineMedia.Benchmarks.Startup;

/// <summary>
/// The loopback origin that fills and syncs the large caches of <see cref="ColdStartRun"/> and <see cref="IdleMemoryRun"/>:
/// one tiny image and one tiny video that every seeded key downloads (a key is not its URL, so a hundred thousand keys can
/// share two), and <see cref="Workouts"/> workouts (<c>w-0</c>, <c>w-1</c>, ...) of <see cref="ExercisesPerWorkout"/>
/// exercises of their own, each with a single <c>720p</c> video, for the syncs that follow the fill. Their exercise ids
/// are new for every origin, so a sync into a reused cache downloads them all.
/// </summary>
internal sealed class LargeCacheOrigin : IAsyncDisposable
{
    public const int SeedFileBytes = 1024;
    public const int ExercisesPerWorkout = 64;
    public const long WorkoutFileBytes = 256 * 1024;

    private LargeCacheOrigin(FakeMediaOrigin origin, int workouts)
    {
        Origin = origin;
        Workouts = workouts;
        SeedImageUri = origin.GetMediaUri("seed", FakeMediaKind.Image, "small");
        SeedVideoUri = origin.GetMediaUri("seed", FakeMediaKind.Video, "720p");
    }

    public FakeMediaOrigin Origin { get; }

    public int Workouts { get; }

    public Uri SeedImageUri { get; }

    public Uri SeedVideoUri { get; }

    public static async Task<LargeCacheOrigin> StartAsync(int workouts)
    {
        var catalog = new FakeMediaCatalog();
        var run = Guid.NewGuid().ToString("N")[..8];
        catalog.AddExercise("seed", "Seed", static e => e.AddImage("small", SeedFileBytes).AddVideo("720p", SeedFileBytes));
        for (var w = 0; w < workouts; w++)
        {
            var ids = new string[ExercisesPerWorkout];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = string.Create(CultureInfo.InvariantCulture, $"w{w}-{run}-exercise-{i:D3}");
                catalog.AddExercise(ids[i], ids[i], static e => e.AddVideo("720p", WorkoutFileBytes));
            }

            catalog.AddWorkout(WorkoutId(w), "Workout " + w.ToString(CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddHours(1), ids);
        }

        return new LargeCacheOrigin(await FakeMediaOrigin.StartAsync(catalog).ConfigureAwait(false), workouts);
    }

    public static string WorkoutId(int workout) => "w-" + workout.ToString(CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => Origin.DisposeAsync();
}
