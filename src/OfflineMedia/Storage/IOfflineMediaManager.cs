using OfflineMedia.Sync;

namespace OfflineMedia.Storage;

/// <summary>
/// What a settings page and a workout list bind to: the cache against its limit, the user's settings
/// (saved, surviving restarts), "Sync now", "Clear cache", failed downloads and their retry, each
/// workout's availability, and low-storage signals. Headless: plain .NET events, no UI dependency;
/// events may be raised on any thread, so marshal to the UI thread in the handler.
/// </summary>
public interface IOfflineMediaManager
{
    /// <summary>Occurs as a sync makes progress.</summary>
    event EventHandler<SyncProgress>? SyncProgressChanged;

    /// <summary>Occurs when a sync starts, pauses, resumes or ends.</summary>
    event EventHandler<SyncState>? SyncStateChanged;

    /// <summary>Occurs when a workout's offline availability changes.</summary>
    event EventHandler<WorkoutAvailabilityChangedEventArgs>? AvailabilityChanged;

    /// <summary>Occurs when the device is found low on storage (after a sync or a storage check).</summary>
    event EventHandler<StorageStatus>? LowStorage;

    /// <summary>Gets what the sync is doing now.</summary>
    SyncState SyncState { get; }

    /// <summary>Gets the user's current settings.</summary>
    OfflineMediaSettings Settings { get; }

    /// <summary>
    /// Changes the user's settings: validated, saved in the cache folder, and in effect at once for every
    /// component. Lowering the cache limit evicts unpinned media, least recently used first, right away.
    /// </summary>
    /// <param name="settings">The new settings, e.g. <c>manager.Settings with { Strategy = SyncStrategy.WiFiAndCellular }</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the settings are saved and applied.</returns>
    /// <exception cref="ArgumentException">A value is out of its allowed range; the message names it.</exception>
    Task UpdateSettingsAsync(OfflineMediaSettings settings, CancellationToken cancellationToken = default);

    /// <summary>Measures the cache and the device's free storage; raises <see cref="LowStorage"/> when low.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The figures.</returns>
    Task<StorageStatus> GetStorageStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>Syncs the upcoming workouts now (the user's "Sync now").</summary>
    /// <param name="cancellationToken">Cancels the sync.</param>
    /// <returns>The report.</returns>
    Task<SyncReport> SyncNowAsync(CancellationToken cancellationToken = default);

    /// <summary>Gets the files that failed in the last sync, each with its reason.</summary>
    IReadOnlyList<SyncItemResult> FailedItems { get; }

    /// <summary>Tries the failed files again.</summary>
    /// <param name="cancellationToken">Cancels the retry.</param>
    /// <returns>The report of the retry.</returns>
    Task<SyncReport> RetryFailedAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Tells how much of a workout is on the device and how many bytes it still needs: the storage to
    /// set aside before a sync. For a workout never synced it asks the API to plan it (nothing downloads).
    /// </summary>
    /// <param name="workoutId">The workout id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The workout's availability and missing bytes.</returns>
    Task<WorkoutSyncState> GetWorkoutAvailabilityAsync(string workoutId, CancellationToken cancellationToken = default);

    /// <summary>Clears the cache (the user's "Clear cache").</summary>
    /// <param name="keepPinned"><see langword="true"/> to keep the media of upcoming workouts: "clean old workout media".</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number of files removed.</returns>
    Task<int> ClearCacheAsync(bool keepPinned = false, CancellationToken cancellationToken = default);
}
