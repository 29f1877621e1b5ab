using OfflineMedia.Profiles;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// Follows the connectivity probe during one sync: <see cref="Lost"/> is canceled the moment the
/// allowed network goes, which stops downloads (their partial files stay), and
/// <see cref="WaitAsync"/> returns when it is back.
/// </summary>
internal sealed class NetworkGate : IDisposable
{
    private readonly IConnectivityProbe _probe;
    private readonly SyncStrategy _strategy;
    private readonly bool _explicitRequest;
    private readonly object _gate = new();
    private CancellationTokenSource _lost = new();
    private TaskCompletionSource _back = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _allowed;
    private bool _disposed;

    public NetworkGate(IConnectivityProbe probe, SyncStrategy strategy, bool explicitRequest)
    {
        _probe = probe;
        _strategy = strategy;
        _explicitRequest = explicitRequest;
        _probe.Changed += OnChanged;
        Update(probe.Current);
    }

    /// <summary>Gets a token canceled when the allowed network is lost; a new one after it returns.</summary>
    public CancellationToken Lost
    {
        get
        {
            lock (_gate)
            {
                return _lost.Token;
            }
        }
    }

    public bool IsAllowed
    {
        get
        {
            lock (_gate)
            {
                return _allowed;
            }
        }
    }

    /// <summary>Waits until the allowed network is back; false when it did not come back within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        Task back;
        lock (_gate)
        {
            if (_allowed)
            {
                return true;
            }

            back = _back.Task;
        }

        try
        {
            await back.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _probe.Changed -= OnChanged;
        lock (_gate)
        {
            _disposed = true;
            _lost.Dispose();
        }
    }

    private void OnChanged(object? sender, ConnectivityState state) => Update(state);

    private void Update(ConnectivityState state)
    {
        var allowed = SyncPolicy.Refusal(_strategy, state, _explicitRequest) is null;
        CancellationTokenSource? lost = null;
        lock (_gate)
        {
            // A change raised while the sync ends (the probe may call on any thread) finds the gate closed.
            if (_disposed || allowed == _allowed)
            {
                return;
            }

            _allowed = allowed;
            if (allowed)
            {
                _lost = new CancellationTokenSource();
                _back.TrySetResult();
            }
            else
            {
                lost = _lost;
                _back = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        try
        {
            lost?.Cancel(); // Outside the lock: cancellation runs the downloads' callbacks.
        }
        catch (ObjectDisposedException)
        {
            // The sync ended between the lock and here; nobody listens any more.
        }
    }
}
