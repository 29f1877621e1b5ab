using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OfflineMedia.Cache;
using OfflineMedia.Catalog;
using OfflineMedia.Diagnostics;
using OfflineMedia.Internal;
using OfflineMedia.Profiles;
using OfflineMedia.Variants;

namespace OfflineMedia.Resolution.Internal;

/// <summary>
/// Cache → network → unavailable. The cached file chosen is the variant this device would download,
/// else the nearest cached one on its ladder (the selector's own rule, applied to what is cached).
/// Media info for remote URLs is remembered for a few minutes, so a list of exercises costs one API
/// call each, not one per render.
/// </summary>
internal sealed class DefaultMediaSourceResolver(
    IMediaCache cache,
    IDeviceProfileProvider profiles,
    IExerciseMediaClient mediaClient,
    IVariantSelector selector,
    IOptionsMonitor<OfflineMediaOptions> options,
    TimeProvider time,
    ILogger<DefaultMediaSourceResolver> logger) : IMediaSourceResolver
{
    private static readonly TimeSpan s_mediaInfoLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan s_apiTimeout = TimeSpan.FromSeconds(10);

    // Cached files are shown whatever the video setting: turning videos off stops downloads, not playback.
    private static readonly VariantPreferences s_showEverything = new();

    private readonly ConcurrentDictionary<string, (ExerciseMediaInfo Info, DateTimeOffset Expires)> _mediaInfo = new(StringComparer.Ordinal);

    public ValueTask<ResolvedMedia> ResolveAsync(string exerciseId, MediaKind kind, CancellationToken cancellationToken = default) =>
        ResolveAsync(exerciseId, kind, poster: false, cancellationToken);

    public ValueTask<ResolvedMedia> ResolvePosterAsync(string exerciseId, CancellationToken cancellationToken = default) =>
        ResolveAsync(exerciseId, MediaKind.Image, poster: true, cancellationToken);

    private async ValueTask<ResolvedMedia> ResolveAsync(string exerciseId, MediaKind kind, bool poster, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(exerciseId);
        var profile = profiles.GetProfile();
        var online = profile.Connectivity.HasInternet;
        var streams = profile.Class == DeviceClass.Desktop;
        var what = poster ? "poster" : kind == MediaKind.Image ? "image" : "video";

        // Desktop and web stream the highest quality while online: they have the screen and the bandwidth for it.
        ResolvedMedia? streamed = null;
        if (online && streams)
        {
            streamed = await RemoteAsync(exerciseId, kind, poster, profile, cancellationToken).ConfigureAwait(false);
            if (streamed.IsAvailable)
            {
                return streamed;
            }
        }

        if (await LocalAsync(exerciseId, kind, poster, profile, cancellationToken).ConfigureAwait(false) is { } local)
        {
            return local;
        }

        if (online)
        {
            // A desktop has asked the API already: asking again would double the wait (up to the API timeout) for the same answer.
            return streamed ?? await RemoteAsync(exerciseId, kind, poster, profile, cancellationToken).ConfigureAwait(false);
        }

        return Unavailable(exerciseId, kind, profile.Connectivity.Access == NetworkAccess.ConstrainedInternet
            ? $"The {what} is not available offline, and this network does not reach the internet."
            : $"The {what} is not available offline.");
    }

    private async ValueTask<ResolvedMedia?> LocalAsync(string exerciseId, MediaKind kind, bool poster, DeviceProfile profile, CancellationToken cancellationToken)
    {
        var entries = await cache.GetEntriesAsync(exerciseId, cancellationToken).ConfigureAwait(false);
        if (entries.Count == 0)
        {
            return null;
        }

        // What is cached, as media info whose "URLs" are the keys: the selector picks among it by its own ladder rules.
        var images = entries.Where(e => e.Key.Kind == MediaKind.Image).Select(e => new MediaVariant(e.Key.Variant, e.LocalPath));
        var videos = entries.Where(e => e.Key.Kind == MediaKind.Video).Select(e => new MediaVariant(e.Key.Variant, e.LocalPath));
        var selection = selector.SelectForDownload(new ExerciseMediaInfo(images, videos), profile, s_showEverything);
        var choice = poster ? selection.Poster : kind == MediaKind.Image ? selection.Image : selection.Video;
        if (!choice.HasVariant)
        {
            return null;
        }

        // TryGet re-checks the file and records the use, which keeps it from eviction.
        var media = await cache.TryGetAsync(new MediaKey(exerciseId, kind, choice.Variant.Name), cancellationToken).ConfigureAwait(false);
        return media is null ? null : new ResolvedMedia
        {
            ExerciseId = exerciseId,
            Kind = kind,
            Source = MediaSourceKind.Local,
            Variant = choice.Variant.Name,
            LocalPath = media.LocalPath,
            Key = media.Key,
        };
    }

    private async ValueTask<ResolvedMedia> RemoteAsync(string exerciseId, MediaKind kind, bool poster, DeviceProfile profile, CancellationToken cancellationToken)
    {
        ExerciseMediaInfo info;
        try
        {
            info = await MediaInfoAsync(exerciseId, cancellationToken).ConfigureAwait(false);
        }
        catch (CatalogException ex)
        {
            Log.ResolveRemoteFailed(logger, exerciseId, ex.Message);
            return Unavailable(exerciseId, kind, $"The media could not be looked up: {ex.Message}");
        }
        catch (TimeoutException)
        {
            return Unavailable(exerciseId, kind, "The media API did not answer in time.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An app's own media client may fail its own way; the screen still gets an answer, not an exception.
            Log.ResolveRemoteFailed(logger, exerciseId, ex.Message);
            return Unavailable(exerciseId, kind, $"The media could not be looked up: {SafeText.Escape(ex.Message)}");
        }

        // The URL comes from the media API on every call (cached for minutes), never from the cache's row: the row keeps no
        // query, and a signed URL's signature and token live there.
        var choice = poster
            ? selector.SelectForDownload(info, profile, s_showEverything).Poster
            : profile.Class == DeviceClass.Desktop
                ? selector.SelectForStreaming(info, kind)
                : kind == MediaKind.Image ? selector.SelectForDownload(info, profile, s_showEverything).Image : selector.SelectForDownload(info, profile, s_showEverything).Video;
        var what = poster ? "poster" : kind == MediaKind.Image ? "image" : "video";
        if (!choice.HasVariant)
        {
            return Unavailable(exerciseId, kind, $"The media API offers no {what} for this exercise.");
        }

        if (MediaUrl.Resolve(choice.Variant.Url, options.CurrentValue.ApiBaseAddress, out var error) is not { } url)
        {
            return Unavailable(exerciseId, kind, $"The {what} cannot be streamed: {error}.");
        }

        return new ResolvedMedia
        {
            ExerciseId = exerciseId,
            Kind = kind,
            Source = MediaSourceKind.Remote,
            Variant = choice.Variant.Name,
            RemoteUrl = url,
            Key = new MediaKey(exerciseId, kind, choice.Variant.Name),
            Download = MediaSource.From(choice.Variant), // For a stream through the cache, which leaves the file cached.
        };
    }

    private async Task<ExerciseMediaInfo> MediaInfoAsync(string exerciseId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_mediaInfo.TryGetValue(exerciseId, out var known) && known.Expires > now)
        {
            return known.Info;
        }

        var info = await mediaClient.GetMediaAsync(exerciseId, cancellationToken).WaitAsync(s_apiTimeout, time, cancellationToken).ConfigureAwait(false);
        _mediaInfo[exerciseId] = (info, now + s_mediaInfoLifetime);
        return info;
    }

    private static ResolvedMedia Unavailable(string exerciseId, MediaKind kind, string reason) =>
        new() { ExerciseId = exerciseId, Kind = kind, Source = MediaSourceKind.Unavailable, Reason = reason };
}
