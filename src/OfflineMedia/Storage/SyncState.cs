namespace OfflineMedia.Storage;

/// <summary>What the sync is doing, for a status line.</summary>
public enum SyncState
{
    /// <summary>No sync is running.</summary>
    Idle,

    /// <summary>A sync is downloading.</summary>
    Running,

    /// <summary>A sync waits for its allowed network to come back.</summary>
    Paused,
}
