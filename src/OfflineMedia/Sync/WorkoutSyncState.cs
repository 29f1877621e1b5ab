namespace OfflineMedia.Sync;

/// <summary>What the device holds of one workout's media, for an "available offline" badge.</summary>
public sealed record WorkoutSyncState
{
    /// <summary>Gets the workout id.</summary>
    public required string WorkoutId { get; init; }

    /// <summary>Gets the workout's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets when the workout is planned.</summary>
    public required DateTimeOffset ScheduledAt { get; init; }

    /// <summary>Gets when its media were last synced, or <see langword="null"/> when never.</summary>
    public DateTimeOffset? LastSyncedAt { get; init; }

    /// <summary>Gets how much of its media is cached now.</summary>
    public required WorkoutAvailability Availability { get; init; }

    /// <summary>Gets the number of media files the workout needs on this device.</summary>
    public required int FilesPlanned { get; init; }

    /// <summary>Gets the number of those files cached now.</summary>
    public required int FilesCached { get; init; }

    /// <summary>Gets the bytes of its files cached now.</summary>
    public required long BytesCached { get; init; }

    /// <summary>Gets the bytes still to download to make it fully available (estimated where the server gives no size).</summary>
    public required long BytesMissing { get; init; }
}
