using OfflineMedia.Cache;
using OfflineMedia.Catalog;
using OfflineMedia.Storage.Internal;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// Raises a workout's availability when it changes during a sync; reads the cache only when someone listens, once
/// per exercise at the start, then follows the files as they finish: a file shared by thousands of workouts
/// updates each in memory, without reading the cache again.
/// </summary>
internal sealed class AvailabilityWatch(SyncStateKeeper state, OfflineMediaEvents events, SyncPlan plan)
{
    private readonly Dictionary<string, (Workout Workout, DateTimeOffset? LastSynced, WorkoutAvailability Known)> _workouts = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private Dictionary<MediaKey, long>? _cached;

    public async Task StartAsync(IReadOnlyList<Workout> workouts, CancellationToken cancellationToken)
    {
        if (!events.WantsAvailability)
        {
            return;
        }

        var cached = await state.CachedAsync(workouts.SelectMany(w => plan.NeedsOf(w.Id)), cancellationToken).ConfigureAwait(false);
        var lastSyncs = state.Store.LastSyncs();
        lock (_gate)
        {
            _cached = cached;
            foreach (var workout in workouts)
            {
                var known = StateOf(workout, lastSyncs.TryGetValue(workout.Id, out var last) ? last.LastSynced : null);
                _workouts[workout.Id] = (workout, known.LastSyncedAt, known.Availability);
                events.Availability(known);
            }
        }
    }

    public void Finished(PlannedItem item, SyncItemResult result)
    {
        lock (_gate)
        {
            if (_cached is null)
            {
                return;
            }

            if (result.Outcome is not (SyncItemOutcome.Downloaded or SyncItemOutcome.Cached))
            {
                return; // Nothing new in the cache (a failed revalidation keeps the file it had).
            }

            _cached[item.Key] = result.Bytes ?? item.EstimatedBytes;

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
    }

    private WorkoutSyncState StateOf(Workout workout, DateTimeOffset? lastSynced) =>
        SyncStateKeeper.StateOf(workout.Id, workout.Name, SyncStateKeeper.AsStored(workout.ScheduledAt), lastSynced, plan.NeedsOf(workout.Id), _cached!);
}
