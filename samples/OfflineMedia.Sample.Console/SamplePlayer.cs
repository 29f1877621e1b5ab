using System.Security.Cryptography;
using OfflineMedia.Cache;
using OfflineMedia.Playback;
using OfflineMedia.Resolution;
using OfflineMedia.Variants;

namespace OfflineMedia.Sample;

/// <summary>
/// The sample's <c>--play</c>: what a player does with an exercise's video. It resolves the video this device would show,
/// reads it through the cache (<see cref="IMediaStreams"/>) to its end, as a player plays it while it caches, and
/// reports the bytes, their SHA-256, where they came from and whether the file stayed in the cache.
/// </summary>
internal sealed class SamplePlayer(IMediaSourceResolver resolver, IMediaStreams streams, IMediaCache cache)
{
    public async Task<SamplePlay> PlayAsync(string exerciseId, CancellationToken cancellationToken)
    {
        var video = await resolver.ResolveAsync(exerciseId, MediaKind.Video, cancellationToken);
        if (!video.IsAvailable)
        {
            return new SamplePlay(exerciseId, null, 0, null, null, CachedAfter: false, video.Reason);
        }

        var (bytes, sha256, source, reason) = await ReadAsync(video, cancellationToken);
        var key = video.Key ?? new MediaKey(exerciseId, MediaKind.Video, video.Variant!);
        var cachedAfter = await cache.TryGetAsync(key, cancellationToken) is not null;
        return new SamplePlay(exerciseId, video.Variant, bytes, sha256, source, cachedAfter, reason);
    }

    private async Task<(long Bytes, string? Sha256, string? Source, string? Reason)> ReadAsync(ResolvedMedia video, CancellationToken cancellationToken)
    {
        MediaReadStream stream;
        try
        {
            stream = await streams.OpenReadAsync(video, cancellationToken);
        }
        catch (Exception ex) when (ex is MediaCacheException or ArgumentException or IOException)
        {
            return (0, null, null, ex.Message);
        }

        await using (stream)
        {
            var source = stream.CachedAtOpen >= stream.Length ? "cache" : stream.CachedAtOpen == 0 ? "network" : "both";
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            long bytes = 0;
            string? reason = null;
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    bytes += read;
                }
            }
            catch (Exception ex) when (ex is IOException or MediaCacheException or HttpRequestException)
            {
                reason = ex.Message; // Offline at a byte not cached, or the server failed: a player stops here.
            }

            return (bytes, Convert.ToHexStringLower(hash.GetHashAndReset()), source, reason);
        }
    }
}
