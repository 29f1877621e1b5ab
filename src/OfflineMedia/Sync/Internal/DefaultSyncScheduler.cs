using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OfflineMedia.Cache;
using OfflineMedia.Catalog;
using OfflineMedia.Diagnostics;
using OfflineMedia.Profiles;
using OfflineMedia.Storage;
using OfflineMedia.Storage.Internal;
using OfflineMedia.Variants;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// The default <see cref="ISyncScheduler"/>: gate (strategy, network) → plan (workouts → exercises,
/// de-duplicated → media info → selection → what is not cached, with estimates) → pin → room and
/// consent → bounded parallel downloads with retries, pausing while the allowed network is gone →
/// state, cleanup and report. See <c>readme.md</c> beside this file.
/// </summary>
internal sealed partial class DefaultSyncScheduler : ISyncScheduler, IDisposable
{
    private readonly IWorkoutCatalog _catalog;
    private readonly IExerciseMediaClient _mediaClient;
    private readonly IVariantSelector _selector;
    private readonly IDeviceProfileProvider _profiles;
    private readonly IConnectivityProbe _connectivity;
    private readonly IStorageProbe _storage;
    private readonly IMediaCache _cache;
    private readonly IDataUsageConsent _consent;
    private readonly OfflineMediaEvents _events;
    private readonly OfflineMediaTelemetry _telemetry;
    private readonly IOptionsMonitor<OfflineMediaOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly object _scheduledGate = new();
    private readonly object _stateGate = new();
    private SyncStateStore? _state;
    private ScheduledRun? _scheduled;
    private IReadOnlyList<SyncItemResult> _lastFailed = [];

    public DefaultSyncScheduler(
        IWorkoutCatalog catalog,
        IExerciseMediaClient mediaClient,
        IVariantSelector selector,
        IDeviceProfileProvider profiles,
        IConnectivityProbe connectivity,
        IStorageProbe storage,
        IMediaCache cache,
        IDataUsageConsent consent,
        OfflineMediaEvents events,
        OfflineMediaTelemetry telemetry,
        IOptionsMonitor<OfflineMediaOptions> options,
        TimeProvider time,
        ILogger<DefaultSyncScheduler> logger)
    {
        _catalog = catalog;
        _mediaClient = mediaClient;
        _selector = selector;
        _profiles = profiles;
        _connectivity = connectivity;
        _storage = storage;
        _cache = cache;
        _consent = consent;
        _events = events;
        _telemetry = telemetry;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public async Task<SyncReport> SyncWorkoutAsync(string workoutId, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workoutId);
        return await ExclusiveAsync(async started =>
        {
            if (Refusal(explicitRequest: true) is { } refusal)
            {
                return Skipped(started, refusal);
            }

            Workout workout;
            try
            {
                workout = await _catalog.GetWorkoutAsync(workoutId, cancellationToken).ConfigureAwait(false);
            }
            catch (CatalogException ex)
            {
                return Failed(started, ex.Message);
            }

            return await RunAsync([workout], explicitRequest: true, only: null, progress, started, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SyncReport> SyncUpcomingAsync(IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default) =>
        await ExclusiveAsync(async started =>
        {
            if (Refusal(explicitRequest: true) is { } refusal)
            {
                return Skipped(started, refusal);
            }

            IReadOnlyList<Workout> upcoming;
            try
            {
                upcoming = await _catalog.GetUpcomingAsync(_options.CurrentValue.UpcomingWindow, cancellationToken).ConfigureAwait(false);
            }
            catch (CatalogException ex)
            {
                return Failed(started, ex.Message);
            }

            return await RunAsync(upcoming, explicitRequest: true, only: null, progress, started, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

    public async Task<SyncReport?> RunScheduledAsync(CancellationToken cancellationToken = default)
    {
        ScheduledRun run;
        lock (_scheduledGate)
        {
            // However often the platform calls, one scheduled sync runs; later calls share its result.
            if (_scheduled is not { Task.IsCompleted: false } running)
            {
                running = new ScheduledRun();
                running.Task = RunScheduledCoreAsync(running.Cancellation.Token);
                _scheduled = running;
            }

            run = running;
            run.Waiters++;
        }

        try
        {
            return await run.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_scheduledGate)
            {
                // The sync stops when every caller gave up (a background task's time ran out), not when one did.
                if (--run.Waiters == 0 && !run.Task.IsCompleted)
                {
                    run.Cancellation.Cancel();
                }
            }
        }
    }

    public async Task<SyncReport> RetryFailedAsync(IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default) =>
        await ExclusiveAsync(async started =>
        {
            var failed = _lastFailed;
            if (failed.Count == 0)
            {
                return Report(started, [], [], null);
            }

            if (Refusal(explicitRequest: true) is { } refusal)
            {
                return Skipped(started, refusal);
            }

            // The failed files' workouts are planned again, for fresh (signed) URLs, but only the failed files run.
            var workouts = new List<Workout>();
            foreach (var id in failed.SelectMany(f => f.WorkoutIds).Distinct(StringComparer.Ordinal))
            {
                try
                {
                    workouts.Add(await _catalog.GetWorkoutAsync(id, cancellationToken).ConfigureAwait(false));
                }
                catch (CatalogException ex)
                {
                    Log.RetryWorkoutUnavailable(_logger, id, ex.Message);
                }
            }

            var only = failed.Select(f => (f.Key.ExerciseId, f.Key.Kind, f.Key.Variant == MediaVariantNames.Poster)).ToHashSet();
            return await RunAsync(workouts, explicitRequest: true, only, progress, started, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>Gets the files that failed in the last sync (and were not retried successfully since).</summary>
    internal IReadOnlyList<SyncItemResult> FailedItems => _lastFailed;

    /// <summary>Plans a workout without downloading anything, so its missing bytes are known before a sync.</summary>
    internal async Task<WorkoutSyncState> PlanWorkoutAsync(string workoutId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(workoutId);
        var workout = await _catalog.GetWorkoutAsync(workoutId, cancellationToken).ConfigureAwait(false);
        await PlanAsync([workout], only: null, new(), cancellationToken).ConfigureAwait(false);
        return await StateOfAsync(State.Find(workoutId)!, cancellationToken).ConfigureAwait(false);
    }

    public async Task<WorkoutSyncState?> GetWorkoutStateAsync(string workoutId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workoutId);
        return State.Find(workoutId) is { } stored ? await StateOfAsync(stored, cancellationToken).ConfigureAwait(false) : null;
    }

    public void Dispose()
    {
        lock (_stateGate)
        {
            _state?.Dispose();
        }

        _oneAtATime.Dispose();
    }

    private async Task<SyncReport?> RunScheduledCoreAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        var options = _options.CurrentValue;
        if (Refusal(explicitRequest: false) is { } refusal)
        {
            Log.ScheduledSyncNotAllowed(_logger, refusal);
            return null;
        }

        return await ExclusiveAsync<SyncReport?>(async started =>
        {
            IReadOnlyList<Workout> upcoming;
            try
            {
                upcoming = await _catalog.GetUpcomingAsync(options.UpcomingWindow, cancellationToken).ConfigureAwait(false);
            }
            catch (CatalogException ex)
            {
                return Failed(started, ex.Message);
            }

            var due = new List<Workout>();
            var lastSyncs = State.LastSyncs();
            foreach (var workout in upcoming)
            {
                if (await IsDueAsync(workout, lastSyncs, options.ResyncInterval, cancellationToken).ConfigureAwait(false))
                {
                    due.Add(workout);
                }
            }

            if (due.Count == 0)
            {
                Log.NothingDue(_logger, upcoming.Count);
                return null;
            }

            return await RunAsync(due, explicitRequest: false, only: null, progress: null, started, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A workout is due when never synced, incomplete, missing files since, or older than the re-sync interval.</summary>
    private async Task<bool> IsDueAsync(
        Workout workout, Dictionary<string, (DateTimeOffset? LastSynced, bool Complete)> lastSyncs, TimeSpan resyncInterval, CancellationToken cancellationToken)
    {
        // The last syncs come in one read; only a workout synced recently and completely reads its files.
        if (!lastSyncs.TryGetValue(workout.Id, out var last) || last is not { LastSynced: { } lastSynced, Complete: true })
        {
            return true;
        }

        if (_time.GetUtcNow() - lastSynced >= resyncInterval || State.Find(workout.Id) is not { } stored)
        {
            return true;
        }

        var state = await StateOfAsync(stored, cancellationToken).ConfigureAwait(false);
        return state.Availability != WorkoutAvailability.Full;
    }

    private async Task<T> ExclusiveAsync<T>(Func<DateTimeOffset, Task<T>> sync, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await sync(_time.GetUtcNow()).ConfigureAwait(false);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private string? Refusal(bool explicitRequest) =>
        SyncPolicy.Refusal(_options.CurrentValue.Strategy, _connectivity.Current, explicitRequest);

    /// <summary>The sync state in <c>sync.db</c>, opened on first use; a failure to open is not kept, so the next call tries again.</summary>
    private SyncStateStore State
    {
        get
        {
            lock (_stateGate)
            {
                return _state ??= OpenState();
            }
        }
    }

    private SyncStateStore OpenState()
    {
        var path = Path.Combine(_options.CurrentValue.CacheDirectory, "sync.db");
        try
        {
            try
            {
                return new SyncStateStore(path);
            }
            catch (Microsoft.Data.Sqlite.SqliteException ex)
            {
                // Sync state can be rebuilt by the next sync; an unreadable file is not worth failing for.
                Log.SyncStateRebuilt(_logger, path, ex);
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                File.Delete(path);
                return new SyncStateStore(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            throw new MediaCacheException(MediaCacheError.Storage, $"The sync state '{path}' cannot be opened or rebuilt: {ex.Message}", ex);
        }
    }

    /// <summary>One scheduled sync and the callers waiting for it.</summary>
    private sealed class ScheduledRun
    {
        public CancellationTokenSource Cancellation { get; } = new();

        public Task<SyncReport?> Task { get; set; } = null!;

        public int Waiters { get; set; }
    }
}
