using System.Diagnostics.CodeAnalysis;

namespace OfflineMedia.Testing;

/// <summary>
/// What the fake origin serves: exercises with their media variants, and scheduled workouts. Thread-safe;
/// changes made while an origin serves the catalog show in the next response.
/// </summary>
public sealed class FakeMediaCatalog
{
    private readonly object _gate = new();
    private readonly List<FakeExercise> _exercises = [];

    /// <summary>The exercises by id: a catalog of thousands is looked up once per request, so not by a scan.</summary>
    private readonly Dictionary<string, FakeExercise> _exercisesById = new(StringComparer.Ordinal);
    private readonly List<FakeWorkout> _workouts = [];

    /// <summary>Gets a snapshot of the exercises, in the order they were added.</summary>
    public IReadOnlyList<FakeExercise> Exercises
    {
        get
        {
            lock (_gate)
            {
                return [.. _exercises];
            }
        }
    }

    /// <summary>Gets a snapshot of the workouts, in the order they were added.</summary>
    public IReadOnlyList<FakeWorkout> Workouts
    {
        get
        {
            lock (_gate)
            {
                return [.. _workouts];
            }
        }
    }

    /// <summary>Gets a snapshot of every variant of every exercise.</summary>
    public IReadOnlyList<FakeMediaVariant> AllVariants => [.. Exercises.SelectMany(e => e.Variants)];

    /// <summary>Gets the total size in bytes of every variant of every exercise.</summary>
    public long TotalBytes => AllVariants.Sum(v => v.SizeBytes);

    /// <summary>
    /// Creates a deterministic week: 12 distinct exercises, each with every variant of the contract at the
    /// typical sizes of the server contract divided by <paramref name="scale"/> (every other exercise, starting with the
    /// second, in the <see cref="FakeVariantForm.Rich"/> form), and 8 workouts: 6 within the 7 days after
    /// <paramref name="start"/> (the first 2 hours after it), sharing exercises, plus <c>w-past</c>
    /// (2 days before) and <c>w-later</c> (10 days after) to exercise the upcoming filter.
    /// </summary>
    /// <param name="start">The "now" the week is built around, for example <c>timeProvider.GetUtcNow()</c>.</param>
    /// <param name="scale">The size divisor; 100 gives about 15 MB in all, 1 the real typical sizes.</param>
    /// <returns>A new catalog.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is less than 1.</exception>
    public static FakeMediaCatalog CreateWeek(DateTimeOffset start, int scale = FakeMediaSizes.DefaultScale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        (string Id, string Name)[] exercises =
        [
            ("squat", "Squat"),
            ("deadlift", "Deadlift"),
            ("bench-press", "Bench Press"),
            ("overhead-press", "Overhead Press"),
            ("pull-up", "Pull-up"),
            ("push-up", "Push-up"),
            ("lunge", "Lunge"),
            ("plank", "Plank"),
            ("row", "Bent-over Row"),
            ("burpee", "Burpee"),
            ("kettlebell-swing", "Kettlebell Swing"),
            ("box-jump", "Box Jump"),
        ];

        var catalog = new FakeMediaCatalog();
        for (var i = 0; i < exercises.Length; i++)
        {
            var form = i % 2 == 0 ? FakeVariantForm.PlainUrl : FakeVariantForm.Rich;
            catalog.AddExercise(exercises[i].Id, exercises[i].Name, e => e.AddTypicalVariants(scale, form));
        }

        var at = start.AddHours(2);
        return catalog
            .AddWorkout("w-past", "Last Week's Legs", start.AddDays(-2), "squat", "deadlift", "plank", "row")
            .AddWorkout("w-1", "Leg Day", at, "squat", "lunge", "deadlift", "box-jump")
            .AddWorkout("w-2", "Push", at.AddDays(1), "bench-press", "overhead-press", "push-up", "plank")
            .AddWorkout("w-3", "Pull", at.AddDays(2), "pull-up", "row", "deadlift", "kettlebell-swing")
            .AddWorkout("w-4", "Conditioning", at.AddDays(3), "burpee", "box-jump", "kettlebell-swing", "plank")
            .AddWorkout("w-5", "Full Body", at.AddDays(5), "squat", "bench-press", "pull-up", "burpee")
            .AddWorkout("w-6", "Core and Mobility", at.AddDays(6), "plank", "lunge", "push-up", "row")
            .AddWorkout("w-later", "Next Month's Test", start.AddDays(10), "overhead-press", "squat");
    }

    /// <summary>Adds an exercise.</summary>
    /// <param name="id">The exercise id.</param>
    /// <param name="name">The display name.</param>
    /// <param name="configure">Adds the exercise's variants, for example <c>e => e.AddTypicalVariants()</c>; without it the exercise has none.</param>
    /// <returns>This catalog, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or already in the catalog.</exception>
    public FakeMediaCatalog AddExercise(string id, string name, Action<FakeExercise>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(name);
        var exercise = new FakeExercise(id, name);
        configure?.Invoke(exercise);
        lock (_gate)
        {
            if (!_exercisesById.TryAdd(id, exercise))
            {
                throw new ArgumentException($"The catalog already has exercise '{id}'.", nameof(id));
            }

            _exercises.Add(exercise);
        }

        return this;
    }

    /// <summary>Gets an exercise.</summary>
    /// <param name="id">The exercise id.</param>
    /// <returns>The exercise.</returns>
    /// <exception cref="KeyNotFoundException">The catalog has no such exercise.</exception>
    public FakeExercise GetExercise(string id)
        => TryGetExercise(id, out var exercise) ? exercise : throw new KeyNotFoundException($"The catalog has no exercise '{id}'.");

    /// <summary>Tries to get an exercise.</summary>
    /// <param name="id">The exercise id.</param>
    /// <param name="exercise">The exercise when found.</param>
    /// <returns><see langword="true"/> when the catalog has the exercise.</returns>
    public bool TryGetExercise(string id, [NotNullWhen(true)] out FakeExercise? exercise)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            return _exercisesById.TryGetValue(id, out exercise);
        }
    }

    /// <summary>Removes an exercise; its media JSON and files then answer 404.</summary>
    /// <param name="id">The exercise id.</param>
    /// <returns><see langword="true"/> when an exercise was removed.</returns>
    public bool RemoveExercise(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            return _exercisesById.Remove(id, out var exercise) && _exercises.Remove(exercise);
        }
    }

    /// <summary>Gets a variant of an exercise.</summary>
    /// <param name="exerciseId">The exercise id.</param>
    /// <param name="kind">The group of the variant.</param>
    /// <param name="name">The variant name.</param>
    /// <returns>The variant.</returns>
    /// <exception cref="KeyNotFoundException">The catalog has no such exercise or variant.</exception>
    public FakeMediaVariant GetVariant(string exerciseId, FakeMediaKind kind, string name) => GetExercise(exerciseId).GetVariant(kind, name);

    /// <summary>Adds a workout, replacing one with the same id (to reschedule it).</summary>
    /// <param name="id">The workout id.</param>
    /// <param name="name">The display name.</param>
    /// <param name="scheduledAt">When the workout is scheduled.</param>
    /// <param name="exerciseIds">The ids of its exercises, in order.</param>
    /// <returns>This catalog, for chaining.</returns>
    public FakeMediaCatalog AddWorkout(string id, string name, DateTimeOffset scheduledAt, params string[] exerciseIds)
        => AddWorkout(new FakeWorkout(id, name, scheduledAt, exerciseIds));

    /// <summary>Adds a workout, replacing one with the same id (to reschedule it).</summary>
    /// <param name="workout">The workout.</param>
    /// <returns>This catalog, for chaining.</returns>
    public FakeMediaCatalog AddWorkout(FakeWorkout workout)
    {
        ArgumentNullException.ThrowIfNull(workout);
        lock (_gate)
        {
            var index = _workouts.FindIndex(w => string.Equals(w.Id, workout.Id, StringComparison.Ordinal));
            if (index >= 0)
            {
                _workouts[index] = workout;
            }
            else
            {
                _workouts.Add(workout);
            }
        }

        return this;
    }

    /// <summary>Gets a workout.</summary>
    /// <param name="id">The workout id.</param>
    /// <returns>The workout.</returns>
    /// <exception cref="KeyNotFoundException">The catalog has no such workout.</exception>
    public FakeWorkout GetWorkout(string id)
        => TryGetWorkout(id, out var workout) ? workout : throw new KeyNotFoundException($"The catalog has no workout '{id}'.");

    /// <summary>Tries to get a workout.</summary>
    /// <param name="id">The workout id.</param>
    /// <param name="workout">The workout when found.</param>
    /// <returns><see langword="true"/> when the catalog has the workout.</returns>
    public bool TryGetWorkout(string id, [NotNullWhen(true)] out FakeWorkout? workout)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            workout = _workouts.Find(w => string.Equals(w.Id, id, StringComparison.Ordinal));
        }

        return workout is not null;
    }

    /// <summary>Removes a workout.</summary>
    /// <param name="id">The workout id.</param>
    /// <returns><see langword="true"/> when a workout was removed.</returns>
    public bool RemoveWorkout(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            return _workouts.RemoveAll(w => string.Equals(w.Id, id, StringComparison.Ordinal)) > 0;
        }
    }

    /// <summary>Gets the workouts scheduled from <paramref name="now"/> to <paramref name="now"/> + <paramref name="window"/> (both inclusive), earliest first.</summary>
    /// <param name="now">The start of the window.</param>
    /// <param name="window">The length of the window.</param>
    /// <returns>The workouts in the window.</returns>
    public IReadOnlyList<FakeWorkout> GetUpcomingWorkouts(DateTimeOffset now, TimeSpan window)
    {
        var end = now + window;
        return [.. Workouts
            .Where(w => w.ScheduledAt >= now && w.ScheduledAt <= end)
            .OrderBy(w => w.ScheduledAt)
            .ThenBy(w => w.Id, StringComparer.Ordinal)];
    }
}
