using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OfflineMedia.Diagnostics;
using OfflineMedia.Internal;

namespace OfflineMedia.Catalog.Internal;

/// <summary>The default <see cref="IWorkoutCatalog"/>: <c>GET api/workouts/{id}</c> and <c>GET api/workouts/upcoming?days=N</c>.</summary>
internal sealed class HttpWorkoutCatalog(CatalogHttp http, IOptionsMonitor<OfflineMediaOptions> options, ILogger<HttpWorkoutCatalog> logger) : IWorkoutCatalog
{
    public async Task<Workout> GetWorkoutAsync(string workoutId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workoutId);
        var url = http.Route(options.CurrentValue.WorkoutRoute, "workoutId", workoutId);
        var what = $"workout '{workoutId}'";
        var dto = await http.GetAsync(url, CatalogJsonContext.Default.WorkoutDto, what, cancellationToken).ConfigureAwait(false);
        return ToWorkout(dto, url, what);
    }

    public async Task<IReadOnlyList<Workout>> GetUpcomingAsync(TimeSpan window, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        var days = Math.Max(1, (int)Math.Ceiling(window.TotalDays)).ToString(CultureInfo.InvariantCulture);
        var url = http.Route(options.CurrentValue.UpcomingWorkoutsRoute, "days", days);
        var entries = await http.GetAsync(url, CatalogJsonContext.Default.ListJsonElement, "the upcoming workouts", cancellationToken).ConfigureAwait(false);

        // Each entry on its own: one malformed workout is left out with a warning, the others still sync.
        var workouts = new List<Workout>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            try
            {
                var dto = entries[i].Deserialize(CatalogJsonContext.Default.WorkoutDto);
                workouts.Add(ToWorkout(dto, url, $"upcoming workout #{i}"));
            }
            catch (JsonException ex)
            {
                Log.UpcomingWorkoutRefused(logger, i, $"it is not a workout of the expected shape ({ex.Message})");
            }
            catch (CatalogException ex)
            {
                Log.UpcomingWorkoutRefused(logger, i, ex.Message);
            }
        }

        workouts.Sort((a, b) => a.ScheduledAt.CompareTo(b.ScheduledAt));
        return workouts;
    }

    private static Workout ToWorkout(WorkoutDto? dto, Uri url, string what)
    {
        if (dto is null)
        {
            throw CatalogHttp.Invalid(what, url, "the workout is null");
        }

        if (string.IsNullOrWhiteSpace(dto.Id))
        {
            throw CatalogHttp.Invalid(what, url, "the workout has no id");
        }

        if (dto.ScheduledAt is not { } scheduledAt)
        {
            throw CatalogHttp.Invalid(what, url, $"workout '{dto.Id}' has no scheduledAt");
        }

        var exercises = new List<WorkoutExercise>(dto.Exercises?.Count ?? 0);
        foreach (var exercise in dto.Exercises ?? [])
        {
            if (string.IsNullOrWhiteSpace(exercise?.Id))
            {
                throw CatalogHttp.Invalid(what, url, $"workout '{dto.Id}' lists an exercise without an id");
            }

            // An id no file can be keyed by (huge, or with control characters) fails this workout here, not the whole sync later.
            if (MediaIds.Problem(exercise.Id) is { } problem)
            {
                throw CatalogHttp.Invalid(what, url, $"workout '{MediaIds.Describe(dto.Id)}' lists exercise '{MediaIds.Describe(exercise.Id)}', whose id cannot be cached: {problem}");
            }

            exercises.Add(new WorkoutExercise(exercise.Id, exercise.Name ?? exercise.Id));
        }

        return new Workout(dto.Id, dto.Name ?? dto.Id, scheduledAt, exercises);
    }
}
