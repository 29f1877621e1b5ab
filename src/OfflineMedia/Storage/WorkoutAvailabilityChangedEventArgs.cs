using OfflineMedia.Sync;

namespace OfflineMedia.Storage;

/// <summary>A workout's offline availability changed, for example from partial to full during a sync.</summary>
/// <param name="state">The workout's state now.</param>
public sealed class WorkoutAvailabilityChangedEventArgs(WorkoutSyncState state) : EventArgs
{
    /// <summary>Gets the workout's state now.</summary>
    public WorkoutSyncState State { get; } = state;
}
