using System.Collections.Concurrent;

namespace OfflineMedia.Cache.Internal;

/// <summary>
/// One download per key: every caller of a key joins the <see cref="InFlightDownload"/> running for it, or starts one,
/// which runs on its own token, canceled only when the last caller gives up.
/// </summary>
internal sealed class DownloadFlights
{
    private readonly ConcurrentDictionary<MediaKey, InFlightDownload> _flights = new();
    private readonly Func<MediaKey, MediaSource, bool, InFlightDownload, Task<CachedMedia>> _download;

    /// <param name="download">
    /// Downloads a key (from a source, revalidating or not), reporting to and canceled by the flight it is given.
    /// </param>
    public DownloadFlights(Func<MediaKey, MediaSource, bool, InFlightDownload, Task<CachedMedia>> download) => _download = download;

    /// <summary>
    /// Joins the download of <paramref name="key"/> that is running, or starts one; waits for it until it completes or
    /// <paramref name="cancellationToken"/> cancels this caller's wait (the download goes on for the others).
    /// </summary>
    public async Task<CachedMedia> JoinAsync(
        MediaKey key, MediaSource source, bool revalidate, (IProgress<long>? Progress, ITransferSlot? Slot) listener, CancellationToken cancellationToken)
    {
        InFlightDownload flight;
        while (true)
        {
            var candidate = new InFlightDownload();
            flight = _flights.GetOrAdd(key, candidate);
            if (flight.TryJoin(listener.Progress, listener.Slot))
            {
                if (ReferenceEquals(flight, candidate))
                {
                    _ = RunAsync(key, source, revalidate, flight);
                }

                break;
            }

            // The last caller of that download gave up just now: let it wind down, then start afresh.
            await ((Task)flight.Task).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await flight.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            flight.Leave(listener.Progress, listener.Slot);
        }
    }

    private async Task RunAsync(MediaKey key, MediaSource source, bool revalidate, InFlightDownload flight)
    {
        await Task.Yield(); // The caller's stack is not the download's.
        try
        {
            var media = await _download(key, source, revalidate, flight).ConfigureAwait(false);
            _flights.TryRemove(new(key, flight));
            flight.Completion.TrySetResult(media);
        }
        catch (OperationCanceledException ex)
        {
            _flights.TryRemove(new(key, flight));
            flight.Completion.TrySetCanceled(ex.CancellationToken);
        }
        catch (Exception ex)
        {
            _flights.TryRemove(new(key, flight));
            flight.Completion.TrySetException(ex);
            _ = flight.Task.Exception; // Observed: every caller may have left already.
        }
    }
}
