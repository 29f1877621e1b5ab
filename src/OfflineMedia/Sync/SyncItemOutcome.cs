namespace OfflineMedia.Sync;

/// <summary>What happened to one planned media file.</summary>
public enum SyncItemOutcome
{
    /// <summary>Downloaded (or replaced by a newer version) in this sync.</summary>
    Downloaded,

    /// <summary>Already cached and current.</summary>
    Cached,

    /// <summary>Left out by policy: not offered by the API, no room, no consent for cellular, or the network did not come back.</summary>
    Skipped,

    /// <summary>Tried and failed; see the reason. <see cref="ISyncScheduler.RetryFailedAsync"/> tries again.</summary>
    Failed,
}
