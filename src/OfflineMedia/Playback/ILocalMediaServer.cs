using OfflineMedia.Cache;
using OfflineMedia.Resolution;

namespace OfflineMedia.Playback;

/// <summary>
/// A URL for players that take only a URL (MAUI MediaElement, AVPlayer, ExoPlayer, LibVLC): an HTTP server on 127.0.0.1,
/// on a random port, that serves media through the cache (<see cref="IMediaStreams"/>). Each URL carries an unguessable
/// token and serves one file; it answers GET and HEAD, a single <c>Range</c> with 206, and nothing to other hosts.
/// Turn it on with <c>OfflineMediaBuilder.EnableLocalMediaServer()</c>; it starts on the first URL asked for and stops
/// with the host.
/// </summary>
public interface ILocalMediaServer
{
    /// <summary>Gets a local URL that plays <paramref name="key"/> through the cache, downloading it from <paramref name="source"/>.</summary>
    /// <param name="key">The file's key in the cache.</param>
    /// <param name="source">Where to download it from.</param>
    /// <param name="cancellationToken">Cancels the call (and the server's start, on the first call).</param>
    /// <returns>A <c>http://127.0.0.1:{port}/{token}/{name}</c> URL, valid until the host stops.</returns>
    ValueTask<Uri> GetUrlAsync(MediaKey key, MediaSource source, CancellationToken cancellationToken = default);

    /// <summary>Gets a local URL that plays what resolution returned: the cached file, or the remote file read through the cache.</summary>
    /// <param name="media">A resolved image, video or poster that <see cref="ResolvedMedia.IsAvailable"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The local URL.</returns>
    ValueTask<Uri> GetUrlAsync(ResolvedMedia media, CancellationToken cancellationToken);
}
