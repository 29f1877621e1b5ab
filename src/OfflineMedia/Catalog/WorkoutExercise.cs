namespace OfflineMedia.Catalog;

/// <summary>An exercise of a workout.</summary>
/// <param name="Id">The exercise id, as the media API names it.</param>
/// <param name="Name">The display name.</param>
public sealed record WorkoutExercise(string Id, string Name);
