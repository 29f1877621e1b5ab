namespace OfflineMedia.Cache.Internal;

/// <summary>A row a group commit writes, and what its commit does besides.</summary>
internal readonly record struct CommitRow(IndexEntry Entry, CommitDetails Details);
