using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OfflineMedia.Cache;

namespace OfflineMedia.TestHost;

/// <summary>
/// An app showing media: looks a file up, then opens the path it was handed, at once or a moment later as a player
/// would, and reads it whole. A path that is missing, unreadable or shorter than the size reported is a failure.
/// </summary>
internal static class ReaderLoop
{
    private const int FailuresShown = 50;

    public static async Task<int> RunAsync(IServiceProvider services, HostArguments arguments, TextWriter stdout, CancellationToken cancellationToken)
    {
        var cache = services.GetRequiredService<IMediaCache>();
        var random = new Random(arguments.Seed);
        var buffer = new byte[64 * 1024];
        var clock = Stopwatch.StartNew();
        long reads = 0, hits = 0, failures = 0;
        while (!cancellationToken.IsCancellationRequested && (clock.Elapsed < arguments.MinDuration || hits < arguments.MinHits))
        {
            var item = arguments.Items[random.Next(arguments.Items.Count)];
            reads++;
            string? failure = null;
            try
            {
                if (await cache.TryGetAsync(item.Key, cancellationToken) is { } media)
                {
                    failure = Read(media, item, random.Next(arguments.OpenDelayMs + 1), buffer);
                    hits += failure is null ? 1 : 0;
                }
            }
            catch (Exception ex) when (ex is MediaCacheException or IOException)
            {
                failure = $"lookup threw {ex.GetType().Name}: {ex.Message}";
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            if (failure is not null && ++failures <= FailuresShown)
            {
                await stdout.WriteLineAsync($"fail {item.Key} {failure}");
            }
        }

        await stdout.WriteLineAsync($"summary reads={reads} hits={hits} misses={reads - hits - failures} failures={failures} seconds={clock.Elapsed.TotalSeconds:0.0}");
        return failures == 0 ? 0 : 2;
    }

    /// <summary>Reads the file at the path handed out; the reason it could not be read whole, or null.</summary>
    private static string? Read(CachedMedia media, HostItem item, int openDelayMs, byte[] buffer)
    {
        if (openDelayMs > 0)
        {
            Thread.Sleep(openDelayMs); // A player opens the path a moment after it was handed out.
        }

        long length = 0;
        try
        {
            using var stream = new FileStream(media.LocalPath, FileMode.Open, FileAccess.Read, FileShare.Read);
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                length += read;
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return $"missing: {media.LocalPath} was handed out {openDelayMs} ms before it was opened";
        }
        catch (IOException ex)
        {
            return $"unreadable: {media.LocalPath}: {ex.GetType().Name}: {ex.Message}";
        }

        return length == media.Bytes && length == item.Source.ExpectedBytes
            ? null
            : $"partial: read {length} bytes of {media.LocalPath}, reported {media.Bytes}, expected {item.Source.ExpectedBytes}";
    }
}
