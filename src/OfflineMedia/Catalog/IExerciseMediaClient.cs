using OfflineMedia.Variants;

namespace OfflineMedia.Catalog;

/// <summary>Asks the media API which variants of an exercise's image and video exist (<c>GET /api/exercises/{id}/media</c>).</summary>
public interface IExerciseMediaClient
{
    /// <summary>Gets the variants of one exercise's media.</summary>
    /// <param name="exerciseId">The exercise id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The variants; variant names the SDK does not know are left out.</returns>
    /// <exception cref="CatalogException">It does not exist, the server failed, or the answer is malformed.</exception>
    Task<ExerciseMediaInfo> GetMediaAsync(string exerciseId, CancellationToken cancellationToken = default);
}
