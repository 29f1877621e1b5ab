namespace OfflineMedia.Sync;

/// <summary>
/// Downloads the media of upcoming workouts before the user needs them: within the network policy,
/// inside the storage budget, a bounded number at a time, with retries. One sync runs at a time.
/// </summary>
public interface ISyncScheduler
{
    /// <summary>Syncs one workout now (the user's "Download for offline"). Allowed on any internet connection the strategy allows; <see cref="SyncStrategy.Manual"/> allows it too.</summary>
    /// <param name="workoutId">The workout id.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the sync; finished files stay cached and partial files resume next time.</param>
    /// <returns>The report.</returns>
    Task<SyncReport> SyncWorkoutAsync(string workoutId, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Syncs every workout in the upcoming window now (the user's "Sync now").</summary>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the sync; finished files stay cached and partial files resume next time.</param>
    /// <returns>The report.</returns>
    Task<SyncReport> SyncUpcomingAsync(IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// For a platform background task (WorkManager, BGTaskScheduler) or the opt-in in-process loop: syncs the upcoming
    /// workouts that are due (never synced, incomplete, or older than the re-sync interval) when the strategy and the
    /// network allow. Idempotent: calls while a sync runs share its result.
    /// </summary>
    /// <param name="cancellationToken">Cancels the sync.</param>
    /// <returns>The report, or <see langword="null"/> when nothing was due or the policy does not allow a sync now.</returns>
    Task<SyncReport?> RunScheduledAsync(CancellationToken cancellationToken = default);

    /// <summary>Tries again the files that failed in the last sync, and only those.</summary>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the retry.</param>
    /// <returns>The report of the retry; empty and complete when nothing had failed.</returns>
    Task<SyncReport> RetryFailedAsync(IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Reads what the device holds of a workout's media, without touching the network.</summary>
    /// <param name="workoutId">The workout id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state, or <see langword="null"/> when the workout was never planned on this device.</returns>
    Task<WorkoutSyncState?> GetWorkoutStateAsync(string workoutId, CancellationToken cancellationToken = default);
}
