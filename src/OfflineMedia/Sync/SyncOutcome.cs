namespace OfflineMedia.Sync;

/// <summary>How a sync ended.</summary>
public enum SyncOutcome
{
    /// <summary>Everything planned is cached (or nothing was due).</summary>
    Complete,

    /// <summary>Some items were cached; others failed or were left out, each with its reason.</summary>
    Partial,

    /// <summary>The policy did not allow a sync now (strategy, network, consent); nothing was downloaded.</summary>
    Skipped,

    /// <summary>The sync could not run: the workouts could not be read, or nothing planned could be cached.</summary>
    Failed,
}
