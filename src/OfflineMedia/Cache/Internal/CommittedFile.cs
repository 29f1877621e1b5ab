namespace OfflineMedia.Cache.Internal;

/// <summary>
/// A media file as committed: its full path, its path in the index, and the commit that wrote it, so the flush of an
/// earlier commit of the same path never forgets a later one still to be flushed.
/// </summary>
internal readonly record struct CommittedFile(string Path, string IndexPath, long Commit);
