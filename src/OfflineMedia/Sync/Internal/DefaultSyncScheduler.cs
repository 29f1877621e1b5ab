using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OfflineMedia.Cache;
using OfflineMedia.Catalog;
using OfflineMedia.Diagnostics;
using OfflineMedia.Profiles;
using OfflineMedia.Variants;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// The default <see cref="ISyncScheduler"/>: what to sync and when (the gate, the catalog, what is due, what failed
/// last), one sync at a time; each sync is run by <see cref="SyncRunner"/> over its parts. See <c>readme.md</c>
/// beside this file.
/// </summary>
internal sealed class DefaultSyncScheduler : ISyncScheduler, IDisposable
{
    private readonly IWorkoutCatalog _catalog;
    private readonly SyncRunner _runner;
    private readonly SyncStateKeeper _state;
    private readonly IConnectivityProbe _connectivity;
    private readonly IOptionsMonitor<OfflineMediaOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly object _scheduledGate = new();
    private ScheduledRun? _scheduled;

    public DefaultSyncScheduler(
        IWorkoutCatalog catalog,
        SyncRunner runner,
        SyncStateKeeper state,
        IConnectivityProbe connectivity,
        IOptionsMonitor<OfflineMediaOptions> options,
        TimeProvider time,
        ILogger<DefaultSyncScheduler> logger)
    {
        _catalog = catalog;
        _runner = runner;
        _state = state;
        _connectivity = connectivity;
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
                return SyncReports.Skipped(started, _time.GetUtcNow(), refusal, _logger);
            }

            Workout workout;
            try
            {
                workout = await _catalog.GetWorkoutAsync(workoutId, cancellationToken).ConfigureAwait(false);
            }
            catch (CatalogException ex)
            {
                return SyncReports.Failed(started, _time.GetUtcNow(), ex.Message, _logger);
            }

            return await RunAsync([workout], explicitRequest: true, only: null, progress, started, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SyncReport> SyncUpcomingAsync(IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default) =>
        await ExclusiveAsync(async started =>
        {
            if (Refusal(explicitRequest: true) is { } refusal)
            {
                return SyncReports.Skipped(started, _time.GetUtcNow(), refusal, _logger);
            }

            IReadOnlyList<Workout> upcoming;
            try
            {
                upcoming = await _catalog.GetUpcomingAsync(_options.CurrentValue.UpcomingWindow, cancellationToken).ConfigureAwait(false);
            }
            catch (CatalogException ex)
            {
                return SyncReports.Failed(started, _time.GetUtcNow(), ex.Message, _logger);
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
            var failed = _state.FailedItems;
            if (failed.Count == 0)
            {
                return SyncReports.Report(started, _time.GetUtcNow(), [], [], null);
            }

            if (Refusal(explicitRequest: true) is { } refusal)
            {
                return SyncReports.Skipped(started, _time.GetUtcNow(), refusal, _logger);
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

    public async Task<WorkoutSyncState?> GetWorkoutStateAsync(string workoutId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workoutId);
        return await _state.GetWorkoutStateAsync(workoutId, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _oneAtATime.Dispose();

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
                return SyncReports.Failed(started, _time.GetUtcNow(), ex.Message, _logger);
            }

            var due = new List<Workout>();
            var lastSyncs = _state.Store.LastSyncs();
            foreach (var workout in upcoming)
            {
                if (await _state.IsDueAsync(workout, lastSyncs, options.ResyncInterval, cancellationToken).ConfigureAwait(false))
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

    private Task<SyncReport> RunAsync(
        IReadOnlyList<Workout> workouts, bool explicitRequest, HashSet<(string ExerciseId, MediaKind Kind, bool Poster)>? only,
        IProgress<SyncProgress>? progress, DateTimeOffset started, CancellationToken cancellationToken) =>
        _runner.RunAsync(workouts, new SyncRequest(_options.CurrentValue, explicitRequest, started), only, progress, cancellationToken);

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

    /// <summary>One scheduled sync and the callers waiting for it.</summary>
    private sealed class ScheduledRun
    {
        public CancellationTokenSource Cancellation { get; } = new();

        public Task<SyncReport?> Task { get; set; } = null!;

        public int Waiters { get; set; }
    }
}
