using Microsoft.Extensions.Options;
using OfflineMedia.Cache;
using OfflineMedia.Internal;
using OfflineMedia.Sync;
using OfflineMedia.Sync.Internal;

namespace OfflineMedia.Storage.Internal;

/// <summary>
/// The default <see cref="IOfflineMediaManager"/>: a thin layer over the cache, the scheduler (whichever
/// <see cref="ISyncScheduler"/> the app registered), the storage figures and the saved settings.
/// </summary>
internal sealed class DefaultOfflineMediaManager : IOfflineMediaManager, IDisposable
{
    private readonly IMediaCache _cache;
    private readonly ISyncScheduler _scheduler;
    private readonly SyncStateKeeper _syncState;
    private readonly SyncPlanner _planner;
    private readonly StorageBudget _storage;
    private readonly IOptionsMonitor<OfflineMediaOptions> _options;
    private readonly UserSettingsStore _settings;
    private readonly OfflineMediaEvents _events;
    private readonly SemaphoreSlim _updates = new(1, 1);
    private readonly object _availabilityGate = new();
    private EventHandler<WorkoutAvailabilityChangedEventArgs>? _availabilityChanged;
    private bool _disposed;

    public DefaultOfflineMediaManager(
        IMediaCache cache,
        ISyncScheduler scheduler,
        SyncStateKeeper syncState,
        SyncPlanner planner,
        StorageBudget storage,
        IOptionsMonitor<OfflineMediaOptions> options,
        UserSettingsStore settings,
        OfflineMediaEvents events)
    {
        _cache = cache;
        _scheduler = scheduler;
        _syncState = syncState;
        _planner = planner;
        _storage = storage;
        _options = options;
        _settings = settings;
        _events = events;
        _events.ProgressChanged += OnProgress;
        _events.StateChanged += OnState;
        _events.LowStorage += OnLowStorage;
    }

    public event EventHandler<SyncProgress>? SyncProgressChanged;

    public event EventHandler<SyncState>? SyncStateChanged;

    /// <remarks>
    /// The sync reads the cache to compute availability only while someone listens on the hub, so the manager
    /// listens there only while the app listens here; otherwise every sync would pay for it.
    /// </remarks>
    public event EventHandler<WorkoutAvailabilityChangedEventArgs>? AvailabilityChanged
    {
        add
        {
            lock (_availabilityGate)
            {
                var first = _availabilityChanged is null;
                _availabilityChanged += value;
                if (first && _availabilityChanged is not null && !_disposed)
                {
                    _events.AvailabilityChanged += OnAvailability;
                }
            }
        }

        remove
        {
            lock (_availabilityGate)
            {
                _availabilityChanged -= value;
                if (_availabilityChanged is null)
                {
                    _events.AvailabilityChanged -= OnAvailability;
                }
            }
        }
    }

    public event EventHandler<StorageStatus>? LowStorage;

    public SyncState SyncState => _events.State;

    public OfflineMediaSettings Settings => OfflineMediaSettings.From(_options.CurrentValue);

    public IReadOnlyList<SyncItemResult> FailedItems => _syncState.FailedItems;

    public async Task UpdateSettingsAsync(OfflineMediaSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await _updates.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The settings checked by the same rules as at start: on defaults, which pass, with the settings laid over.
            var current = _options.CurrentValue;
            var candidate = new OfflineMediaOptions { CacheDirectory = current.CacheDirectory };
            settings.ApplyTo(candidate);
            var check = new OfflineMediaOptionsValidator().Validate(null, candidate);
            if (check.Failed)
            {
                throw new ArgumentException(check.FailureMessage, nameof(settings));
            }

            var lowered = settings.CacheSizeLimitBytes < current.CacheSizeLimitBytes;
            _settings.Save(current.CacheDirectory, OfflineMediaSettings.From(current), settings);
            if (lowered)
            {
                // A lower limit takes effect now: unpinned media go, least recently used first.
                await _cache.TrimAsync(settings.CacheSizeLimitBytes, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _updates.Release();
        }
    }

    public async Task<StorageStatus> GetStorageStatusAsync(CancellationToken cancellationToken = default)
    {
        var status = await _storage.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        if (status.IsDeviceStorageLow)
        {
            _events.StorageLow(status);
        }

        return status;
    }

    public Task<SyncReport> SyncNowAsync(CancellationToken cancellationToken = default) =>
        _scheduler.SyncUpcomingAsync(progress: null, cancellationToken);

    public Task<SyncReport> RetryFailedAsync(CancellationToken cancellationToken = default) =>
        _scheduler.RetryFailedAsync(progress: null, cancellationToken);

    public async Task<WorkoutSyncState> GetWorkoutAvailabilityAsync(string workoutId, CancellationToken cancellationToken = default) =>
        await _scheduler.GetWorkoutStateAsync(workoutId, cancellationToken).ConfigureAwait(false)
        ?? await _planner.PlanWorkoutAsync(workoutId, cancellationToken).ConfigureAwait(false);

    public Task<int> ClearCacheAsync(bool keepPinned = false, CancellationToken cancellationToken = default) =>
        _cache.ClearAsync(keepPinned, cancellationToken);

    public void Dispose()
    {
        _events.ProgressChanged -= OnProgress;
        _events.StateChanged -= OnState;
        lock (_availabilityGate)
        {
            _disposed = true;
            _events.AvailabilityChanged -= OnAvailability;
        }

        _events.LowStorage -= OnLowStorage;
        _updates.Dispose();
    }

    private void OnProgress(object? sender, SyncProgress e) => SyncProgressChanged?.Invoke(this, e);

    private void OnState(object? sender, SyncState e) => SyncStateChanged?.Invoke(this, e);

    private void OnAvailability(object? sender, WorkoutAvailabilityChangedEventArgs e) => Volatile.Read(ref _availabilityChanged)?.Invoke(this, e);

    private void OnLowStorage(object? sender, StorageStatus e) => LowStorage?.Invoke(this, e);
}
