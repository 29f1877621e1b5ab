using OfflineMedia.Cache;

namespace OfflineMedia.Sync;

/// <summary>The outcome of one planned media file.</summary>
public sealed record SyncItemResult
{
    /// <summary>Gets the file's key.</summary>
    public required MediaKey Key { get; init; }

    /// <summary>Gets what happened.</summary>
    public required SyncItemOutcome Outcome { get; init; }

    /// <summary>Gets why it was skipped or failed, in words an app can show; <see langword="null"/> otherwise.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets the kind of cache failure, when the cache refused or failed the file.</summary>
    public MediaCacheError? Error { get; init; }

    /// <summary>Gets the cached file's absolute path, when it is cached.</summary>
    public string? LocalPath { get; init; }

    /// <summary>Gets the cached file's size, or the estimate when it is not cached.</summary>
    public long? Bytes { get; init; }

    /// <summary>Gets the lowercase hex SHA-256 the cached file was verified against, when it is cached and the catalog gave one.</summary>
    public string? Sha256 { get; init; }

    /// <summary>Gets the ids of the workouts that use this file.</summary>
    public IReadOnlyList<string> WorkoutIds { get; init; } = [];
}
