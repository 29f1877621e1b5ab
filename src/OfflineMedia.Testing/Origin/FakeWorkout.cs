namespace OfflineMedia.Testing;

/// <summary>A scheduled workout of the fake catalog.</summary>
public sealed class FakeWorkout
{
    /// <summary>Initializes a new instance of the <see cref="FakeWorkout"/> class.</summary>
    /// <param name="id">The workout id, as used in <c>/api/workouts/{id}</c>.</param>
    /// <param name="name">The display name.</param>
    /// <param name="scheduledAt">When the workout is scheduled.</param>
    /// <param name="exerciseIds">The ids of its exercises, in order; ids unknown to the catalog are listed with the id as name.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty.</exception>
    public FakeWorkout(string id, string name, DateTimeOffset scheduledAt, IEnumerable<string> exerciseIds)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(exerciseIds);
        Id = id;
        Name = name;
        ScheduledAt = scheduledAt;
        ExerciseIds = [.. exerciseIds];
    }

    /// <summary>Gets the workout id.</summary>
    public string Id { get; }

    /// <summary>Gets the display name.</summary>
    public string Name { get; }

    /// <summary>Gets when the workout is scheduled.</summary>
    public DateTimeOffset ScheduledAt { get; }

    /// <summary>Gets the ids of the workout's exercises, in order.</summary>
    public IReadOnlyList<string> ExerciseIds { get; }

    /// <inheritdoc/>
    public override string ToString() => Id;
}
