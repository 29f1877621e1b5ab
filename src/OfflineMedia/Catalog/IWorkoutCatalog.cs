namespace OfflineMedia.Catalog;

/// <summary>
/// Finds workouts. The default speaks the media API's workout routes; a host can replace it with its
/// own API, GraphQL or local database (<c>UseWorkoutCatalog&lt;T&gt;()</c>).
/// </summary>
public interface IWorkoutCatalog
{
    /// <summary>Gets one workout.</summary>
    /// <param name="workoutId">The workout id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The workout.</returns>
    /// <exception cref="CatalogException">It does not exist, the server failed, or the answer is malformed.</exception>
    Task<Workout> GetWorkoutAsync(string workoutId, CancellationToken cancellationToken = default);

    /// <summary>Gets the workouts scheduled from now to now + <paramref name="window"/>.</summary>
    /// <param name="window">How far ahead to look.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The workouts, soonest first.</returns>
    /// <exception cref="CatalogException">The server failed or the answer is malformed.</exception>
    Task<IReadOnlyList<Workout>> GetUpcomingAsync(TimeSpan window, CancellationToken cancellationToken = default);
}
