using OfflineMedia.Storage;
using OfflineMedia.Sync;

namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>
/// Keeps every event an <see cref="IOfflineMediaManager"/> raises, in order and on the raising thread (events may
/// come from any thread), as a settings page or a workout list bound to them would see them.
/// </summary>
public sealed class StorageEventRecorder : IDisposable
{
    private readonly object _gate = new();
    private readonly IOfflineMediaManager _manager;
    private readonly List<SyncState> _states = [];
    private readonly List<SyncProgress> _progress = [];
    private readonly List<WorkoutSyncState> _availability = [];
    private readonly List<StorageStatus> _lowStorage = [];
    private readonly List<(SyncState State, TaskCompletionSource Completion)> _stateWaiters = [];

    public StorageEventRecorder(IOfflineMediaManager manager)
    {
        _manager = manager;
        _manager.SyncStateChanged += OnState;
        _manager.SyncProgressChanged += OnProgress;
        _manager.AvailabilityChanged += OnAvailability;
        _manager.LowStorage += OnLowStorage;
    }

    public IReadOnlyList<SyncState> States => Snapshot(_states);

    public IReadOnlyList<SyncProgress> Progress => Snapshot(_progress);

    public IReadOnlyList<WorkoutSyncState> Availability => Snapshot(_availability);

    public IReadOnlyList<StorageStatus> LowStorage => Snapshot(_lowStorage);

    /// <summary>The availabilities raised for one workout, in order.</summary>
    public IReadOnlyList<WorkoutAvailability> AvailabilityOf(string workoutId) =>
        [.. Availability.Where(a => a.WorkoutId == workoutId).Select(a => a.Availability)];

    /// <summary>Waits (at most 15 s) until <paramref name="state"/> has been raised; at once if it was already.</summary>
    public Task WaitForStateAsync(SyncState state)
    {
        lock (_gate)
        {
            if (_states.Contains(state))
            {
                return Task.CompletedTask;
            }

            var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _stateWaiters.Add((state, completion));
            return completion.Task.WaitAsync(TimeSpan.FromSeconds(15));
        }
    }

    public void Dispose()
    {
        _manager.SyncStateChanged -= OnState;
        _manager.SyncProgressChanged -= OnProgress;
        _manager.AvailabilityChanged -= OnAvailability;
        _manager.LowStorage -= OnLowStorage;
    }

    private List<T> Snapshot<T>(List<T> list)
    {
        lock (_gate)
        {
            return [.. list];
        }
    }

    private void OnState(object? sender, SyncState state)
    {
        List<TaskCompletionSource> ready;
        lock (_gate)
        {
            _states.Add(state);
            ready = [.. _stateWaiters.Where(w => w.State == state).Select(w => w.Completion)];
            _stateWaiters.RemoveAll(w => w.State == state);
        }

        ready.ForEach(r => r.TrySetResult());
    }

    private void OnProgress(object? sender, SyncProgress progress)
    {
        lock (_gate)
        {
            _progress.Add(progress);
        }
    }

    private void OnAvailability(object? sender, WorkoutAvailabilityChangedEventArgs e)
    {
        lock (_gate)
        {
            _availability.Add(e.State);
        }
    }

    private void OnLowStorage(object? sender, StorageStatus status)
    {
        lock (_gate)
        {
            _lowStorage.Add(status);
        }
    }
}
