namespace OfflineMedia.Cache.Internal;

/// <summary>
/// A verified download waiting for its group commit (<see cref="CommitQueue"/>): what its row is made of, and the task its
/// callers await, completed only once the group's transaction has committed.
/// </summary>
/// <param name="Request">The download, with its partial file.</param>
/// <param name="SourceUrl">The catalog's URL of the file.</param>
/// <param name="Result">What the download verified.</param>
/// <param name="Relative">The file's path in the index.</param>
/// <param name="Path">The file's full path.</param>
internal sealed record PendingCommit(DownloadRequest Request, string SourceUrl, DownloadResult Result, string Relative, string Path)
{
    public TaskCompletionSource<CachedMedia> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
