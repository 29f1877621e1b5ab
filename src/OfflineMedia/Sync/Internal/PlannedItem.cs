using OfflineMedia.Cache;

namespace OfflineMedia.Sync.Internal;

/// <summary>A media file a sync wants on the device, with the workouts that need it.</summary>
internal sealed class PlannedItem(MediaKey key, MediaSource source, long estimatedBytes)
{
    public MediaKey Key { get; } = key;

    public MediaSource Source { get; } = source;

    public long EstimatedBytes { get; } = estimatedBytes;

    public List<string> WorkoutIds { get; } = [];

    /// <summary>Gets or sets the soonest workout that needs it: what is left out for lack of room goes latest first.</summary>
    public DateTimeOffset NeededAt { get; set; } = DateTimeOffset.MaxValue;
}
