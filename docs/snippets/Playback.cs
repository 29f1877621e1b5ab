using Microsoft.Extensions.DependencyInjection;
using OfflineMedia.Playback;
using OfflineMedia.Resolution;
using OfflineMedia.Variants;

namespace OfflineMedia.Snippets;

/// <summary>Snippets of docs/playback.md: playing media while it caches.</summary>
internal static class Playback
{
    public static void EnableServer(IServiceCollection services, string appDataDirectory)
    {
        #region enable-local-media-server
        services.AddOfflineMedia(options =>
        {
            options.ApiBaseAddress = new Uri("https://api.example.com/");
            options.CacheDirectory = Path.Combine(appDataDirectory, "media");
        })
        .EnableLocalMediaServer(); // Starts on the first URL asked for, stops with the host.
        #endregion
    }

    public static async Task<Uri?> LocalUrlAsync(IServiceProvider provider, string exerciseId, CancellationToken cancellationToken)
    {
        #region local-url
        var resolver = provider.GetRequiredService<IMediaSourceResolver>();
        var server = provider.GetRequiredService<ILocalMediaServer>();

        var video = await resolver.ResolveAsync(exerciseId, MediaKind.Video, cancellationToken);
        if (!video.IsAvailable)
        {
            return null; // Show a placeholder and video.Reason.
        }

        // http://127.0.0.1:{port}/{token}/720p.mp4: the cached file, or the remote one read through the cache as it plays.
        var url = await server.GetUrlAsync(video, cancellationToken);
        #endregion
        return url;
    }

    public static async Task ReadThroughAsync(IServiceProvider provider, ResolvedMedia video, Stream destination, CancellationToken cancellationToken)
    {
        #region read-through-stream
        var streams = provider.GetRequiredService<IMediaStreams>();
        await using var stream = await streams.OpenReadAsync(video, cancellationToken);

        // A seekable, read-only Stream: hand it to a player that takes one, or read it yourself.
        Console.WriteLine($"{stream.Length} bytes of {stream.ContentType}, {stream.CachedAtOpen} of them cached already");
        await stream.CopyToAsync(destination, cancellationToken);
        // Read to its end, the file is in the cache now: the next sync finds it there.
        #endregion
    }
}
