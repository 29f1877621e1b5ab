using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using OfflineMedia.Cache;
using OfflineMedia.Diagnostics;
using OfflineMedia.Internal;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// One sync's pauses per server. A server that answers a transient error (429, 503) with <c>Retry-After</c> speaks for
/// itself, not for one file: no request of this sync to it (scheme, host and port) starts before that time, across the
/// parallel downloads and their retries; other servers (a CDN) go on. A pause longer than <c>MaxRetryAfter</c> fails the
/// server's other files at once, without a request, as it fails the file that got it.
/// </summary>
internal sealed class HostBackoff(TimeProvider time, TimeSpan maxWait, ILogger logger)
{
    private readonly ConcurrentDictionary<string, Pause> _pauses = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The server of a media URL (<c>scheme://host:port</c>, never user info or path), resolved as the cache resolves it; <see langword="null"/> when it cannot be.</summary>
    public static string? ServerOf(string url, Uri? apiBaseAddress) =>
        MediaUrl.Resolve(url, apiBaseAddress, out _) is { } resolved ? $"{resolved.Scheme}://{resolved.Authority}" : null;

    /// <summary>A try of a file on <paramref name="server"/> ended with <paramref name="error"/>: a <c>Retry-After</c> pauses the whole server.</summary>
    public void Record(string? server, Exception error)
    {
        if (server is null || error is not MediaCacheException { IsTransient: true, RetryAfter: { } wait } answer)
        {
            return;
        }

        var pause = new Pause(time.GetUtcNow() + wait, answer.StatusCode);
        if (ReferenceEquals(_pauses.AddOrUpdate(server, pause, (_, current) => current.Until >= pause.Until ? current : pause), pause))
        {
            Log.ServerPaused(logger, server, (int?)answer.StatusCode ?? 0, wait.TotalMilliseconds);
        }
    }

    /// <summary>Whether requests to <paramref name="server"/> must wait now.</summary>
    public bool IsPaused(string? server) => Remaining(server, out _) > TimeSpan.Zero;

    /// <summary>
    /// Waits out <paramref name="server"/>'s pause, and any a later answer adds. A pause beyond <c>MaxRetryAfter</c>
    /// throws a <see cref="MediaCacheException"/> carrying it, so the file fails as the one that got the answer did.
    /// </summary>
    public async Task WaitAsync(string? server, MediaKey key, CancellationToken cancellationToken)
    {
        for (var remaining = Remaining(server, out var status); remaining > TimeSpan.Zero; remaining = Remaining(server, out status))
        {
            if (remaining > maxWait)
            {
                throw new MediaCacheException(
                    MediaCacheError.HttpStatus,
                    $"Downloading {key} was not tried: {server} answered {(int?)status} to another file of this sync and asked for a pause.")
                {
                    Key = key,
                    StatusCode = status,
                    RetryAfter = remaining,
                };
            }

            await Task.Delay(remaining, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan Remaining(string? server, out HttpStatusCode? status)
    {
        status = null;
        if (server is null || !_pauses.TryGetValue(server, out var pause))
        {
            return TimeSpan.Zero;
        }

        status = pause.Status;
        var remaining = pause.Until - time.GetUtcNow();
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    private sealed record Pause(DateTimeOffset Until, HttpStatusCode? Status);
}
