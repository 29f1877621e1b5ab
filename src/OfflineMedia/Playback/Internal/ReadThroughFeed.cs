using OfflineMedia.Cache;

namespace OfflineMedia.Playback.Internal;

/// <summary>
/// The download that fills a stream's file: the cache's one download of the key, joined (a sync's, another stream's, or
/// another process's, which this one waits for) or started. A drop mid-body starts it again, resuming from the bytes on
/// disk, a few times; the stream's end leaves it (it goes on while a sync or another stream still wants it).
/// </summary>
internal sealed class ReadThroughFeed : IDisposable
{
    /// <summary>How many times a download is started before its failure ends the stream.</summary>
    internal const int MaxAttempts = 3;

    private readonly Func<CancellationToken, Task<CachedMedia>> _download;
    private readonly CancellationTokenSource _stop = new();
    private Task<CachedMedia> _running;
    private int _attempts = 1;

    public ReadThroughFeed(Func<CancellationToken, Task<CachedMedia>> download)
    {
        _download = download;
        _running = download(_stop.Token);
    }

    /// <summary>
    /// Waits for the next write to the file (<paramref name="written"/>, when this process writes it), for the download to
    /// end, or at most <paramref name="pause"/> (on real time: the writer may be another process, seen only by polling).
    /// </summary>
    /// <returns>The committed file when it ended with one; <see langword="null"/> while it runs.</returns>
    /// <exception cref="MediaCacheException">It failed for good (not transient, or after <see cref="MaxAttempts"/>).</exception>
    public async ValueTask<CachedMedia?> EndedAsync(Task written, TimeSpan pause, CancellationToken cancellationToken)
    {
        if (!_running.IsCompleted)
        {
            if (!written.IsCompleted)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(pause, TimeProvider.System, timeout.Token);
                await Task.WhenAny(_running, written, delay).ConfigureAwait(false);
                timeout.Cancel(); // The delay's timer goes with it.
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (!_running.IsCompleted)
            {
                return null; // Written to meanwhile, or the pause is over: the caller looks again.
            }
        }

        if (_running.IsCompletedSuccessfully)
        {
            return _running.Result;
        }

        // A transient failure, or a download that ended canceled though this stream did not ask (a cancellation raised inside
        // it): start it again, resuming from the bytes on disk.
        var error = _running.Exception?.InnerException;
        if ((_running.IsCanceled || error is MediaCacheException { IsTransient: true }) && _attempts < MaxAttempts && !_stop.IsCancellationRequested)
        {
            _attempts++;
            _running = _download(_stop.Token); // Resumes from the bytes on disk.
            return null;
        }

        throw error as MediaCacheException ?? new MediaCacheException(MediaCacheError.Network, error is null ? "The download was canceled." : $"The download stopped: {error.Message}", error);
    }

    /// <summary>Leaves the download: it is canceled unless a sync or another stream still wants it.</summary>
    public void Dispose() => _ = Leave(letFinish: false);

    /// <summary>
    /// Leaves the download; when <paramref name="letFinish"/> (its whole body is on disk), lets it finish, so a file played
    /// to its end is verified and committed even if the player closes at once.
    /// </summary>
    /// <returns>A task that completes when the download has ended (never faulted).</returns>
    public Task Leave(bool letFinish)
    {
        if (!letFinish)
        {
            _stop.Cancel();
        }

        var stop = _stop;
        return _running.ContinueWith(t =>
        {
            _ = t.Exception; // Observed: no one may wait for it any more.
            stop.Dispose();
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }
}
