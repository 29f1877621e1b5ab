using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OfflineMedia.Cache;
using OfflineMedia.Catalog;
using OfflineMedia.Diagnostics;
using OfflineMedia.Internal;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// What a sync keeps between runs: the saved plans and last syncs in <c>sync.db</c> (opened on first use), the pins
/// of each workout's files, the files that failed last, and each workout's state read from the cache against its
/// saved plan. Availability is never stored: a file the cache dropped shows at once.
/// </summary>
internal sealed class SyncStateKeeper : IDisposable
{
    private static readonly TimeSpan s_pinMargin = TimeSpan.FromDays(1);

    private readonly IMediaCache _cache;
    private readonly IOptionsMonitor<OfflineMediaOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly object _storeGate = new();
    private SyncStateStore? _store;
    private IReadOnlyList<SyncItemResult> _failed = [];

    public SyncStateKeeper(IMediaCache cache, IOptionsMonitor<OfflineMediaOptions> options, TimeProvider time, ILogger<SyncStateKeeper> logger)
    {
        _cache = cache;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Gets the files that failed in the last sync (and were not retried successfully since).</summary>
    public IReadOnlyList<SyncItemResult> FailedItems => Volatile.Read(ref _failed);

    /// <summary>Gets the sync state in <c>sync.db</c>, opened on first use; a failure to open is not kept, so the next call tries again.</summary>
    public SyncStateStore Store
    {
        get
        {
            lock (_storeGate)
            {
                return _store ??= Open();
            }
        }
    }

    /// <summary>
    /// Keeps the failed files of a sync's <paramref name="items"/>. A retry (<paramref name="retry"/>) keeps what it did
    /// not cover; a slot it got in (or left out) is no longer failed.
    /// </summary>
    public void RecordFailures(IReadOnlyList<SyncItemResult> items, bool retry)
    {
        var failed = items.Where(i => i.Outcome == SyncItemOutcome.Failed);
        if (!retry)
        {
            Volatile.Write(ref _failed, failed.ToList());
            return;
        }

        var settled = items.Where(i => i.Outcome != SyncItemOutcome.Failed).Select(i => (i.Key.ExerciseId, i.Key.Kind)).ToHashSet();
        Volatile.Write(ref _failed, _failed.Where(f => !settled.Contains((f.Key.ExerciseId, f.Key.Kind))).Concat(failed).DistinctBy(i => i.Key).ToList());
    }

    /// <summary>
    /// Pins each workout's files in the set <c>workout:{id}</c> until a day after it, before anything downloads, so
    /// making room never evicts what this sync wants.
    /// </summary>
    public async Task PinAsync(IReadOnlyList<Workout> workouts, SyncPlan plan, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var workout in workouts)
        {
            if (plan.PinsOf(workout.Id) is { Count: > 0 } keys)
            {
                await _cache.PinAsync(PinSet(workout.Id), keys, PinnedUntil(workout.ScheduledAt, now), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>After downloads: workout state, unpinning workouts that are over, and cleanup by budget and age.</summary>
    public async Task<List<WorkoutSyncState>> FinishAsync(IReadOnlyList<Workout> workouts, SyncPlan plan, List<SyncItemResult> items, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();

        // One pass over the files for the workouts missing one, and one cache read per exercise: not one per workout.
        var incomplete = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items.Where(i => i.Outcome is not (SyncItemOutcome.Downloaded or SyncItemOutcome.Cached)))
        {
            incomplete.UnionWith(item.WorkoutIds);
        }

        var cached = await CachedAsync(workouts.SelectMany(w => plan.NeedsOf(w.Id)), cancellationToken).ConfigureAwait(false);
        var states = new List<WorkoutSyncState>(workouts.Count);
        var synced = new List<(string WorkoutId, bool Complete)>(workouts.Count);
        foreach (var workout in workouts)
        {
            // Complete only when every file it needs is cached now: a retry covers only the files that failed.
            var state = StateOf(workout.Id, workout.Name, AsStored(workout.ScheduledAt), now, plan.NeedsOf(workout.Id), cached);
            synced.Add((workout.Id, !incomplete.Contains(workout.Id) && state.Availability == WorkoutAvailability.Full));
            states.Add(state);
        }

        Store.MarkSynced(synced, now);

        // Workouts that are over no longer hold their media; their pins go, and eviction may take them.
        var over = Store.WorkoutsBefore(now - TimeSpan.FromDays(1));
        foreach (var id in over)
        {
            await _cache.UnpinAsync(PinSet(id), null, cancellationToken).ConfigureAwait(false);
        }

        Store.Forget(over);
        await _cache.TrimAsync(_options.CurrentValue.CacheSizeLimitBytes, cancellationToken).ConfigureAwait(false);
        return states;
    }

    /// <summary>Reads what the device holds of a planned workout; <see langword="null"/> when it was never planned here.</summary>
    public async Task<WorkoutSyncState?> GetWorkoutStateAsync(string workoutId, CancellationToken cancellationToken) =>
        Store.Find(workoutId) is { } stored ? await StateOfAsync(stored, cancellationToken).ConfigureAwait(false) : null;

    /// <summary>
    /// A workout is due when never synced, incomplete, missing files since, holding a file its server said is stale by now
    /// (<c>Cache-Control</c>, <c>Expires</c>), or older than the re-sync interval.
    /// </summary>
    public async Task<bool> IsDueAsync(
        Workout workout, Dictionary<string, (DateTimeOffset? LastSynced, bool Complete)> lastSyncs, TimeSpan resyncInterval, CancellationToken cancellationToken)
    {
        // The last syncs come in one read; only a workout synced recently and completely reads its files.
        if (!lastSyncs.TryGetValue(workout.Id, out var last) || last is not { LastSynced: { } lastSynced, Complete: true })
        {
            return true;
        }

        if (_time.GetUtcNow() - lastSynced >= resyncInterval || Store.Find(workout.Id) is not { } stored)
        {
            return true;
        }

        return await MissingOrStaleAsync(stored.Items, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The cached size of each of <paramref name="needs"/> that is cached now, read once per exercise and without
    /// touching access times: looking at a badge is not using the media.
    /// </summary>
    public async Task<Dictionary<MediaKey, long>> CachedAsync(IEnumerable<(MediaKey Key, long EstimatedBytes)> needs, CancellationToken cancellationToken)
    {
        var cached = new Dictionary<MediaKey, long>();
        var wanted = needs.Select(n => n.Key).ToHashSet();
        foreach (var exerciseId in wanted.Select(k => k.ExerciseId).Distinct(StringComparer.Ordinal))
        {
            if (MediaIds.Problem(exerciseId) is not null)
            {
                continue; // Nothing can be cached under it.
            }

            foreach (var entry in await _cache.GetEntriesAsync(exerciseId, cancellationToken).ConfigureAwait(false))
            {
                if (wanted.Contains(entry.Key))
                {
                    cached[entry.Key] = entry.Bytes;
                }
            }
        }

        return cached;
    }

    /// <summary>
    /// Whether a file of <paramref name="needs"/> is not cached, or is stale by what its server said: a file without a catalog
    /// digest whose freshness has run out (a <c>no-cache</c> one at once) is asked about by the next sync, not a day later.
    /// </summary>
    private async Task<bool> MissingOrStaleAsync(IReadOnlyList<(MediaKey Key, long EstimatedBytes)> needs, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var wanted = needs.Select(n => n.Key).ToHashSet();
        var found = 0;
        foreach (var exerciseId in wanted.Select(k => k.ExerciseId).Distinct(StringComparer.Ordinal))
        {
            if (MediaIds.Problem(exerciseId) is not null)
            {
                return true; // Nothing can be cached under it.
            }

            foreach (var entry in await _cache.GetEntriesAsync(exerciseId, cancellationToken).ConfigureAwait(false))
            {
                if (wanted.Contains(entry.Key))
                {
                    if (entry.Sha256 is null && entry.FreshUntil <= now)
                    {
                        return true;
                    }

                    found++;
                }
            }
        }

        return found < wanted.Count;
    }

    /// <summary>A workout's state: its planned files against what is cached.</summary>
    public static WorkoutSyncState StateOf(
        string id, string name, DateTimeOffset scheduledAt, DateTimeOffset? lastSynced,
        IReadOnlyList<(MediaKey Key, long EstimatedBytes)> needs, Dictionary<MediaKey, long> cached)
    {
        int filesCached = 0;
        long bytesCached = 0, bytesMissing = 0;
        foreach (var (key, estimate) in needs)
        {
            if (cached.TryGetValue(key, out var bytes))
            {
                filesCached++;
                bytesCached += bytes;
            }
            else
            {
                bytesMissing += estimate;
            }
        }

        return new WorkoutSyncState
        {
            WorkoutId = id,
            Name = name,
            ScheduledAt = scheduledAt,
            LastSyncedAt = lastSynced,
            FilesPlanned = needs.Count,
            FilesCached = filesCached,
            BytesCached = bytesCached,
            BytesMissing = bytesMissing,
            Availability = filesCached == 0 ? (needs.Count == 0 ? WorkoutAvailability.Full : WorkoutAvailability.None)
                : filesCached == needs.Count ? WorkoutAvailability.Full
                : WorkoutAvailability.Partial,
        };
    }

    /// <summary>A workout's date as the state store keeps it (UTC, whole milliseconds), so a state reads the same before and after a restart.</summary>
    public static DateTimeOffset AsStored(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());

    /// <summary>
    /// A day after the workout (or now, when it is past), never past <see cref="DateTimeOffset.MaxValue"/>: a server
    /// may schedule a workout on 9999-12-31, and a date plus a day must not throw there.
    /// </summary>
    public static DateTimeOffset PinnedUntil(DateTimeOffset scheduledAt, DateTimeOffset now)
    {
        var from = scheduledAt > now ? scheduledAt : now;
        return from > DateTimeOffset.MaxValue - s_pinMargin ? DateTimeOffset.MaxValue : from + s_pinMargin;
    }

    public void Dispose()
    {
        lock (_storeGate)
        {
            _store?.Dispose();
        }
    }

    private static string PinSet(string workoutId) => "workout:" + workoutId;

    private async Task<WorkoutSyncState> StateOfAsync(StoredWorkout stored, CancellationToken cancellationToken)
    {
        var cached = await CachedAsync(stored.Items, cancellationToken).ConfigureAwait(false);
        return StateOf(stored.Id, stored.Name, stored.ScheduledAt, stored.LastSynced, stored.Items, cached);
    }

    private SyncStateStore Open()
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
}
