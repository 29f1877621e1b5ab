using OfflineMedia.Cache;
using OfflineMedia.Resolution;

namespace OfflineMedia.Playback;

/// <summary>
/// Plays media while it caches: a seekable, read-only stream of a file whose cached bytes come from disk and whose other
/// bytes come from the network as the file downloads into the cache, under the cache's rules (verified, moved into place
/// whole, indexed, within the budget). Reading a video to its end leaves it cached; the next sync finds it there.
/// </summary>
/// <remarks>
/// <para>
/// One download per file: a stream of a file that a sync (or another stream, in this process or another) is downloading
/// reads the bytes that download writes, as soon as they are on disk, and fetches nothing twice. A paused reader never holds
/// a download up: the download runs at the network's pace and the reader catches up from disk.
/// </para>
/// <para>
/// A seek beyond the bytes on disk is served at once by a ranged request from that offset, while the download goes on
/// filling the file from where it was; nothing cached is discarded. Offline, the stream serves what is cached and ends
/// with an <see cref="IOException"/> at the first byte that is not, never waiting forever.
/// </para>
/// </remarks>
public interface IMediaStreams
{
    /// <summary>Opens a stream of <paramref name="key"/>, reading through the cache from <paramref name="source"/>.</summary>
    /// <param name="key">The file's key in the cache.</param>
    /// <param name="source">Where to download it from, as the catalog lists it.</param>
    /// <param name="cancellationToken">Cancels the open (the stream's reads take their own tokens).</param>
    /// <returns>The stream; dispose it when done (the download goes on only while a stream or a sync wants it).</returns>
    /// <exception cref="MediaCacheException">The file cannot be opened: not cached and offline, or refused by the server.</exception>
    Task<MediaReadStream> OpenReadAsync(MediaKey key, MediaSource source, CancellationToken cancellationToken = default);

    /// <summary>Opens a stream of what resolution returned: the cached file, or the remote file read through the cache.</summary>
    /// <param name="media">A resolved image, video or poster that <see cref="ResolvedMedia.IsAvailable"/>.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The stream.</returns>
    /// <exception cref="ArgumentException"><paramref name="media"/> is unavailable, or carries no key to cache it under.</exception>
    Task<MediaReadStream> OpenReadAsync(ResolvedMedia media, CancellationToken cancellationToken);
}
