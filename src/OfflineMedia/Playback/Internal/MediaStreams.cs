using System.IO.Abstractions;
using Microsoft.Extensions.Options;
using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;
using OfflineMedia.Internal;
using OfflineMedia.Profiles;
using OfflineMedia.Resolution;

namespace OfflineMedia.Playback.Internal;

/// <summary>
/// The default <see cref="IMediaStreams"/>: a file cached whole is read from disk; any other is read through the cache's
/// one download of it (<see cref="ReadThroughStream"/>), started here when none runs and the network is there.
/// </summary>
internal sealed class MediaStreams(
    DefaultMediaCache cache,
    IHttpClientFactory httpClientFactory,
    IFileSystem fileSystem,
    IConnectivityProbe connectivity,
    IOptionsMonitor<OfflineMediaOptions> options) : IMediaStreams
{
    private static readonly TimeSpan s_firstPause = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan s_longestPause = TimeSpan.FromMilliseconds(16);

    public async Task<MediaReadStream> OpenReadAsync(MediaKey key, MediaSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var partialPath = cache.Paths.PartialFile(key);
        if (await cache.TryGetAsync(key, cancellationToken).ConfigureAwait(false) is { } cached && Fits(cached, source))
        {
            return Whole(cached, partialPath, cachedAtOpen: cached.Bytes);
        }

        var onDiskAtOpen = fileSystem.File.Exists(partialPath) ? fileSystem.FileInfo.New(partialPath).Length : 0;
        var feed = connectivity.Current.HasInternet ? new ReadThroughFeed(token => cache.GetOrDownloadAsync(key, source, progress: null, token)) : null;
        try
        {
            // The length, type and validator come from the download's first response (recorded as its headers arrive), or
            // from the file once committed; offline, from what an earlier download recorded.
            var pause = s_firstPause;
            while (true)
            {
                var written = cache.Writes.Next(key); // Taken before the look: a write after it wakes the wait below.
                if (cache.PartialOf(key) is { TotalBytes: { } total } partial && (source.ExpectedBytes ?? total) == total)
                {
                    return new ReadThroughStream(
                        fileSystem, total, partial.ContentType, partial.ETag ?? partial.LastModified, partialPath, committedPath: null,
                        Math.Min(onDiskAtOpen, total), feed, Ranges(key, source), () => cache.Writes.Next(key));
                }

                if (feed is null)
                {
                    throw new MediaCacheException(MediaCacheError.Network, $"{key} is not cached, and the network is not available to download it.") { Key = key };
                }

                if (await feed.EndedAsync(written, pause, cancellationToken).ConfigureAwait(false) is { } committed)
                {
                    feed.Dispose();
                    return Whole(committed, partialPath, Math.Min(onDiskAtOpen, committed.Bytes));
                }

                pause = pause < s_longestPause ? pause * 2 : s_longestPause;
            }
        }
        catch
        {
            feed?.Dispose();
            throw;
        }
    }

    public Task<MediaReadStream> OpenReadAsync(ResolvedMedia media, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(media);
        return media switch
        {
            { Source: MediaSourceKind.Remote, Key: { } key, Download: { } download } => OpenReadAsync(key, download, cancellationToken),
            { Source: MediaSourceKind.Local, Key: { } key } => OpenLocalAsync(key, cancellationToken),
            _ => throw new ArgumentException(
                media.IsAvailable ? $"The {media.Kind} of {media.ExerciseId} carries no key to read it through the cache by." : $"The {media.Kind} of {media.ExerciseId} is not available: {media.Reason}",
                nameof(media)),
        };
    }

    /// <summary>Whether a cached file is the one <paramref name="source"/> describes (the cache's own rule for a hit).</summary>
    private static bool Fits(CachedMedia cached, MediaSource source) =>
        (source.Sha256 is null || string.Equals(source.Sha256, cached.Sha256, StringComparison.Ordinal))
        && (source.ExpectedBytes is null || source.ExpectedBytes == cached.Bytes);

    private async Task<MediaReadStream> OpenLocalAsync(MediaKey key, CancellationToken cancellationToken)
    {
        var cached = await cache.TryGetAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw new MediaCacheException(MediaCacheError.Storage, $"{key} is no longer cached; resolve it again.") { Key = key };
        return Whole(cached, cache.Paths.PartialFile(key), cached.Bytes); // Where the cache has it now, which is where it was resolved.
    }

    private ReadThroughStream Whole(CachedMedia media, string partialPath, long cachedAtOpen) =>
        new(fileSystem, media.Bytes, media.ContentType, media.ETag, partialPath, media.LocalPath, cachedAtOpen, feed: null, ranges: null, static () => Task.CompletedTask);

    /// <summary>Ranged requests for reads far ahead of the download; none for a URL the cache could not fetch either.</summary>
    private ReadThroughRanges? Ranges(MediaKey key, MediaSource source)
    {
        var current = options.CurrentValue;
        return MediaUrl.Resolve(source.Url, current.ApiBaseAddress, out _) is { } url
            ? new ReadThroughRanges(httpClientFactory.CreateClient(MediaDownloader.HttpClientName), url, key, current.DownloadStallTimeout)
            : null;
    }
}
