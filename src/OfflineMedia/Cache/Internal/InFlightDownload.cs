namespace OfflineMedia.Cache.Internal;

/// <summary>
/// One download shared by every caller that wants the same key. It runs on its own token, which is
/// canceled only when the last waiting caller gives up, so one caller's cancel never fails the others.
/// </summary>
internal sealed class InFlightDownload : IProgress<long>
{
    private readonly object _gate = new();
    private readonly List<(IProgress<long>? Progress, Action? BodyReceived)> _listeners = [];
    private int _waiters;

    /// <summary>Gets the download's own cancellation; never disposed, since a late <see cref="Leave"/> may still cancel it (it holds no timer).</summary>
    public CancellationTokenSource Cancellation { get; } = new();

    public TaskCompletionSource<CachedMedia> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<CachedMedia> Task => Completion.Task;

    /// <summary>Adds a caller; false when the download is already being canceled and a new one must start.</summary>
    public bool TryJoin(IProgress<long>? progress, Action? bodyReceived = null)
    {
        lock (_gate)
        {
            if (Cancellation.IsCancellationRequested)
            {
                return false;
            }

            _waiters++;
            if (progress is not null || bodyReceived is not null)
            {
                _listeners.Add((progress, bodyReceived));
            }

            return true;
        }
    }

    /// <summary>A caller stops waiting; the last one to leave cancels the download.</summary>
    public void Leave(IProgress<long>? progress, Action? bodyReceived = null)
    {
        lock (_gate)
        {
            if (progress is not null || bodyReceived is not null)
            {
                _listeners.Remove((progress, bodyReceived));
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

    /// <summary>The body is in: tells each caller that asked (see <see cref="DownloadRequest.BodyReceived"/>).</summary>
    public void BodyReceived()
    {
        foreach (var listener in Listeners())
        {
            listener.BodyReceived?.Invoke();
        }
    }

    private (IProgress<long>? Progress, Action? BodyReceived)[] Listeners()
    {
        lock (_gate)
        {
            return [.. _listeners];
        }
    }
}
