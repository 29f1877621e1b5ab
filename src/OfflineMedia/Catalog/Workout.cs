namespace OfflineMedia.Catalog;

/// <summary>A scheduled workout and the exercises it uses.</summary>
/// <param name="Id">The workout id.</param>
/// <param name="Name">The display name.</param>
/// <param name="ScheduledAt">When the workout is planned.</param>
/// <param name="Exercises">Its exercises, in order; an exercise may appear in several workouts.</param>
public sealed record Workout(string Id, string Name, DateTimeOffset ScheduledAt, IReadOnlyList<WorkoutExercise> Exercises);
