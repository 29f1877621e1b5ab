using OfflineMedia.Testing;

namespace OfflineMedia.Fleet;

/// <summary>
/// A gym chain's week, scaled down so a thousand phones fit in one process: 15 exercises, each with every variant of the
/// server contract at a few KB to a few hundred KB (a phone takes the 12 KB <c>medium</c> image, the 48 KB <c>720p</c>
/// video and the 4 KB poster: 64 KB an exercise, 960 KB a device), every other exercise in the richer form (size and
/// SHA-256), and 5 workouts on days 2 to 6 at 18:00, so the same 5 are upcoming on all three days the fleet syncs.
/// </summary>
internal static class FleetCatalog
{
    private const long Kb = 1024;

    /// <summary>Creates the catalog around <paramref name="start"/>, the fleet's first morning.</summary>
    public static FakeMediaCatalog Create(DateTimeOffset start)
    {
        string[] exercises =
        [
            "squat", "deadlift", "bench-press", "overhead-press", "pull-up", "push-up", "lunge", "plank", "row", "burpee",
            "kettlebell-swing", "box-jump", "dip", "hip-thrust", "farmer-carry",
        ];

        var catalog = new FakeMediaCatalog();
        for (var i = 0; i < exercises.Length; i++)
        {
            var form = i % 2 == 0 ? FakeVariantForm.PlainUrl : FakeVariantForm.Rich;
            catalog.AddExercise(exercises[i], exercises[i], e => e
                .AddImage("thumbnail", 2 * Kb, form)
                .AddImage("small", 6 * Kb, form)
                .AddImage("medium", 12 * Kb, form)
                .AddImage("large", 32 * Kb, form)
                .AddImage("original", 96 * Kb, form)
                .AddVideo("720p", 48 * Kb, form)
                .AddVideo("1080p", 120 * Kb, form)
                .AddVideo("original", 400 * Kb, form)
                .AddVideo("poster", 4 * Kb, form));
        }

        var evening = new DateTimeOffset(start.UtcDateTime.Date, TimeSpan.Zero).AddHours(18);
        string[] Pick(params int[] indexes) => [.. indexes.Select(i => exercises[i])];
        return catalog
            .AddWorkout("w-legs", "Legs", evening.AddDays(2), Pick(0, 1, 2, 3, 4))
            .AddWorkout("w-push", "Push", evening.AddDays(3), Pick(5, 6, 7, 8, 9))
            .AddWorkout("w-pull", "Pull", evening.AddDays(4), Pick(10, 11, 12, 13, 14))
            .AddWorkout("w-full", "Full Body", evening.AddDays(5), Pick(0, 3, 6, 9, 12))
            .AddWorkout("w-core", "Core", evening.AddDays(6), Pick(1, 4, 7, 10, 13));
    }
}
