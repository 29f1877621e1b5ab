using OfflineMedia.Cache;

namespace OfflineMedia.Sync.Internal;

/// <summary>A plan fitted to the device: what to download, what to revalidate, and what is settled already.</summary>
internal sealed class FittedPlan
{
    /// <summary>Gets the files to download (those that fit, and were consented to).</summary>
    public List<PlannedItem> Downloads { get; } = [];

    /// <summary>Gets the cached files to ask the server about.</summary>
    public HashSet<PlannedItem> Revalidations { get; } = [];

    /// <summary>Gets the results known before any transfer: cached and current, or left out with a reason.</summary>
    public Dictionary<MediaKey, SyncItemResult> Settled { get; } = [];

    /// <summary>Gets or sets why files were left out (room, consent); <see langword="null"/> when none were.</summary>
    public string? Reason { get; set; }

    /// <summary>Gets the transfers in the order they run: the soonest workouts first, images before videos.</summary>
    public List<PlannedItem> Work() => Downloads.Concat(Revalidations).OrderBy(p => p.NeededAt).ThenBy(p => p.Key.Kind).ToList();
}
