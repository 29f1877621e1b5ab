using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// The transfer slot of one try, as the cache asks for it (<see cref="ITransferSlot"/>): taken once the cache holds the
/// file's lease and is about to send the request, after any pause the file's server asked for; given back when the body
/// is in or when the try ends, whichever is first. A slot that arrives after the try ended goes straight back.
/// </summary>
internal sealed class TrySlot(FetchRun run, string? server, MediaKey key) : ITransferSlot, IDisposable
{
    private readonly object _gate = new();
    private TransferLease? _lease;
    private bool _ended;

    public async ValueTask TakeAsync(CancellationToken cancellationToken)
    {
        var lease = await TakeAfterPauseAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (!_ended)
            {
                _lease = lease;
                return;
            }
        }

        lease.Dispose();
    }

    public void Release()
    {
        lock (_gate)
        {
            _lease?.Release();
        }
    }

    /// <summary>The try ended: the slot goes back if it has not yet.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _ended = true;
            _lease?.Release();
        }
    }

    /// <summary>
    /// Waits out the pause of the file's server, then takes a slot; a pause that began while it waited for the slot
    /// gives the slot back and is waited out too. A pause beyond <c>MaxRetryAfter</c> throws a fault carrying it, which
    /// reaches the try through the cache's download and is classified there, as any other end of the try.
    /// </summary>
    private async Task<TransferLease> TakeAfterPauseAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await run.Backoff.WaitAsync(server, key, cancellationToken).ConfigureAwait(false);

            var lease = await run.Slots.TakeAsync(cancellationToken).ConfigureAwait(false);
            if (!run.Backoff.IsPaused(server))
            {
                return lease;
            }

            lease.Dispose();
        }
    }
}
