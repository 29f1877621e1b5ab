namespace OfflineMedia.Cache.Internal;

/// <summary>
/// One download shared by every caller that wants the same key. It runs on its own token, which is
/// canceled only when the last waiting caller gives up, so one caller's cancel never fails the others. Its progress and
/// its transfer slot are those of each caller waiting on it.
/// </summary>
internal sealed class InFlightDownload : IProgress<long>, ITransferSlot
{
    private readonly object _gate = new();
    private readonly List<(IProgress<long>? Progress, ITransferSlot? Slot)> _listeners = [];
    private int _waiters;

    /// <summary>Gets the download's own cancellation; never disposed, since a late <see cref="Leave"/> may still cancel it (it holds no timer).</summary>
    public CancellationTokenSource Cancellation { get; } = new();

    public TaskCompletionSource<CachedMedia> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<CachedMedia> Task => Completion.Task;

    /// <summary>Adds a caller; false when the download is already being canceled and a new one must start.</summary>
    public bool TryJoin(IProgress<long>? progress, ITransferSlot? slot = null)
    {
        lock (_gate)
        {
            if (Cancellation.IsCancellationRequested)
            {
                return false;
            }

            _waiters++;
            if (progress is not null || slot is not null)
            {
                _listeners.Add((progress, slot));
            }

            return true;
        }
    }

    /// <summary>A caller stops waiting; the last one to leave cancels the download.</summary>
    public void Leave(IProgress<long>? progress, ITransferSlot? slot = null)
    {
        lock (_gate)
        {
            if (progress is not null || slot is not null)
            {
                _listeners.Remove((progress, slot));
            }

            if (--_waiters == 0 && !Task.IsCompleted)
            {
                Cancellation.Cancel();
            }
        }
    }

    public void Report(long value)
    {
        foreach (var listener in Listeners())
        {
            listener.Progress?.Report(value);
        }
    }

    /// <summary>The transfer is about to start: takes the slot of each caller that bounds its transfers.</summary>
    public async ValueTask TakeAsync(CancellationToken cancellationToken)
    {
        foreach (var listener in Listeners())
        {
            if (listener.Slot is { } slot)
            {
                await slot.TakeAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The body is in (see <see cref="DownloadRequest.BodyReceived"/>): gives each caller's slot back.</summary>
    public void Release()
    {
        foreach (var listener in Listeners())
        {
            listener.Slot?.Release();
        }
    }

    private (IProgress<long>? Progress, ITransferSlot? Slot)[] Listeners()
    {
        lock (_gate)
        {
            return [.. _listeners];
        }
    }
}
