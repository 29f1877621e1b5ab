using OfflineMedia.Cache;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// What a sync wants: one <see cref="PlannedItem"/> per file, and each workout's files indexed by workout, so pinning,
/// saving and availability look a workout's files up instead of scanning every file for it.
/// </summary>
internal sealed class SyncPlan
{
    /// <summary>Gets the files to download or check, by key.</summary>
    public Dictionary<MediaKey, PlannedItem> Items { get; } = [];

    /// <summary>Gets the files already failed by planning: those of exercises whose media info could not be read.</summary>
    public Dictionary<MediaKey, SyncItemResult> Failed { get; } = [];

    /// <summary>Gets each workout's planned files (what it pins).</summary>
    public Dictionary<string, List<MediaKey>> Pins { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets each workout's files as saved: the planned ones, and those of exercises that failed at typical sizes.</summary>
    public Dictionary<string, List<(MediaKey Key, long EstimatedBytes)>> Needs { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<MediaKey> PinsOf(string workoutId) => Pins.TryGetValue(workoutId, out var keys) ? keys : [];

    public IReadOnlyList<(MediaKey Key, long EstimatedBytes)> NeedsOf(string workoutId) => Needs.TryGetValue(workoutId, out var needs) ? needs : [];

    /// <summary>Gets a workout's pins to add to, created on first use.</summary>
    public List<MediaKey> PinsFor(string workoutId)
    {
        if (!Pins.TryGetValue(workoutId, out var keys))
        {
            Pins[workoutId] = keys = [];
        }

        return keys;
    }

    /// <summary>Gets a workout's saved files to add to, created on first use.</summary>
    public List<(MediaKey Key, long EstimatedBytes)> NeedsFor(string workoutId)
    {
        if (!Needs.TryGetValue(workoutId, out var needs))
        {
            Needs[workoutId] = needs = [];
        }

        return needs;
    }
}
