using OfflineMedia.Variants;

namespace OfflineMedia.Resolution;

/// <summary>
/// What an app's screens call to show an exercise's media: the cached file when there is one, else the
/// remote URL when the network allows, else "not available offline" with a reason, for a placeholder.
/// Desktop and web profiles stream the highest quality when online. Offline it never waits on the network.
/// </summary>
public interface IMediaSourceResolver
{
    /// <summary>Resolves an exercise's image or video.</summary>
    /// <param name="exerciseId">The exercise id.</param>
    /// <param name="kind">Image or video.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Where to show it from, or why it cannot be shown.</returns>
    ValueTask<ResolvedMedia> ResolveAsync(string exerciseId, MediaKind kind, CancellationToken cancellationToken = default);

    /// <summary>Resolves an exercise video's poster, the still shown before the video plays.</summary>
    /// <param name="exerciseId">The exercise id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Where to show it from, or why it cannot be shown.</returns>
    ValueTask<ResolvedMedia> ResolvePosterAsync(string exerciseId, CancellationToken cancellationToken = default);
}
