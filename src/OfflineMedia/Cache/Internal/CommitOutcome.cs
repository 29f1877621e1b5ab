namespace OfflineMedia.Cache.Internal;

/// <summary>What came of one row of a group commit.</summary>
/// <param name="Failure">Why its file could not be moved into place (then it has no row), or <see langword="null"/>.</param>
/// <param name="ReplacedPath">The path of the row it replaced when that was another path: that file is retired now.</param>
/// <param name="Seq">Its place in the order of use.</param>
/// <param name="PinnedUntil">Until when a pin keeps it, if one does.</param>
internal readonly record struct CommitOutcome(Exception? Failure, string? ReplacedPath, long Seq, long? PinnedUntil);
