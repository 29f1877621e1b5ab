namespace OfflineMedia.Sync;

/// <summary>The result of a sync: its outcome, each planned file's outcome, and the workouts' availability after it.</summary>
public sealed record SyncReport
{
    /// <summary>Gets how the sync ended.</summary>
    public required SyncOutcome Outcome { get; init; }

    /// <summary>Gets why it was skipped, failed or partial, in words an app can show; <see langword="null"/> when complete.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets one entry per planned media file, de-duplicated across workouts.</summary>
    public required IReadOnlyList<SyncItemResult> Items { get; init; }

    /// <summary>Gets the synced workouts' state after the sync.</summary>
    public required IReadOnlyList<WorkoutSyncState> Workouts { get; init; }

    /// <summary>Gets when the sync started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets how long it took.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Gets the number of planned files.</summary>
    public int Planned => Items.Count;

    /// <summary>Gets the number of files downloaded.</summary>
    public int Downloaded => Count(SyncItemOutcome.Downloaded);

    /// <summary>Gets the number of files that were cached already.</summary>
    public int Cached => Count(SyncItemOutcome.Cached);

    /// <summary>Gets the number of files left out by policy.</summary>
    public int Skipped => Count(SyncItemOutcome.Skipped);

    /// <summary>Gets the number of files that failed.</summary>
    public int Failed => Count(SyncItemOutcome.Failed);

    /// <summary>Gets the bytes downloaded.</summary>
    public long BytesDownloaded => Items.Where(i => i.Outcome == SyncItemOutcome.Downloaded).Sum(i => i.Bytes ?? 0);

    private int Count(SyncItemOutcome outcome) => Items.Count(i => i.Outcome == outcome);
}
