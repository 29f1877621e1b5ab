using OfflineMedia.Cache;
using OfflineMedia.Catalog;
using OfflineMedia.Storage.Internal;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// Raises a workout's availability when it changes during a sync; reads the cache only when someone listens, once
/// per exercise at the start, then follows the files as they finish: a file shared by thousands of workouts
/// updates each in memory, without reading the cache again. Files that finish before it starts (the head start's,
/// downloaded while the plan was read) are kept until it does: it raises each workout's state as it was before them,
/// then their changes, as if it had watched from the start.
/// </summary>
internal sealed class AvailabilityWatch(SyncStateKeeper state, OfflineMediaEvents events)
{
    private readonly Dictionary<string, (Workout Workout, DateTimeOffset? LastSynced, WorkoutAvailability Known)> _workouts = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private List<(PlannedItem Item, long Bytes)>? _early = [];
    private SyncPlan? _plan;
    private Dictionary<MediaKey, long>? _cached;

    public async Task StartAsync(IReadOnlyList<Workout> workouts, SyncPlan plan, HeadStart headStart, CancellationToken cancellationToken)
    {
        if (!events.WantsAvailability)
        {
            lock (_gate)
            {
                _early = null;
            }

            return;
        }

        var cached = await state.CachedAsync(workouts.SelectMany(w => plan.NeedsOf(w.Id)), cancellationToken).ConfigureAwait(false);
        var lastSyncs = state.Store.LastSyncs();
        lock (_gate)
        {
            // The head start's files were not cached when the sync began (that is why they started): as before them.
            foreach (var key in cached.Keys.Where(headStart.HasStarted).ToList())
            {
                cached.Remove(key);
            }

            _plan = plan;
            _cached = cached;
            foreach (var workout in workouts)
            {
                var known = StateOf(workout, lastSyncs.TryGetValue(workout.Id, out var last) ? last.LastSynced : null);
                _workouts[workout.Id] = (workout, known.LastSyncedAt, known.Availability);
                events.Availability(known);
            }

            foreach (var (item, bytes) in _early!)
            {
                Changed(item, bytes);
            }

            _early = null;
        }
    }

    public void Finished(PlannedItem item, SyncItemResult result)
    {
        if (result.Outcome is not (SyncItemOutcome.Downloaded or SyncItemOutcome.Cached))
        {
            return; // Nothing new in the cache (a failed revalidation keeps the file it had).
        }

        lock (_gate)
        {
            if (_cached is null)
            {
                _early?.Add((item, result.Bytes ?? item.EstimatedBytes));
                return;
            }

            Changed(item, result.Bytes ?? item.EstimatedBytes);
        }
    }

    /// <summary>A file is now cached: raises each of its workouts whose availability this changes. Under the lock.</summary>
    private void Changed(PlannedItem item, long bytes)
    {
        _cached![item.Key] = bytes;
        foreach (var id in item.WorkoutIds)
        {
            if (_workouts.TryGetValue(id, out var known))
            {
                var now = StateOf(known.Workout, known.LastSynced);
                if (now.Availability != known.Known)
                {
                    _workouts[id] = known with { Known = now.Availability };
                    events.Availability(now);
                }
            }
        }
    }

    private WorkoutSyncState StateOf(Workout workout, DateTimeOffset? lastSynced) =>
        SyncStateKeeper.StateOf(workout.Id, workout.Name, SyncStateKeeper.AsStored(workout.ScheduledAt), lastSynced, _plan!.NeedsOf(workout.Id), _cached!);
}
