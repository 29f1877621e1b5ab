using OfflineMedia.Sync;

namespace OfflineMedia.Storage.Internal;

/// <summary>
/// Where the scheduler and the storage checks announce what a UI binds to; the manager re-raises it.
/// A separate hub, so the scheduler need not know the manager (which calls the scheduler).
/// </summary>
internal sealed class OfflineMediaEvents
{
    private int _state = (int)SyncState.Idle;

    public event EventHandler<SyncProgress>? ProgressChanged;

    public event EventHandler<SyncState>? StateChanged;

    public event EventHandler<WorkoutAvailabilityChangedEventArgs>? AvailabilityChanged;

    public event EventHandler<StorageStatus>? LowStorage;

    public SyncState State => (SyncState)Volatile.Read(ref _state);

    /// <summary>Gets a value indicating whether anyone listens for availability, which costs cache reads to compute.</summary>
    public bool WantsAvailability => AvailabilityChanged is not null;

    public void Progress(SyncProgress progress) => ProgressChanged?.Invoke(this, progress);

    public void SetState(SyncState state)
    {
        if (Interlocked.Exchange(ref _state, (int)state) != (int)state)
        {
            StateChanged?.Invoke(this, state);
        }
    }

    public void Availability(WorkoutSyncState state) => AvailabilityChanged?.Invoke(this, new WorkoutAvailabilityChangedEventArgs(state));

    public void StorageLow(StorageStatus status) => LowStorage?.Invoke(this, status);
}
