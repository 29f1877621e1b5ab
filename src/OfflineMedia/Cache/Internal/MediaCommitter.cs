using System.IO.Abstractions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using OfflineMedia.Diagnostics;
using OfflineMedia.Internal;

namespace OfflineMedia.Cache.Internal;

/// <summary>
/// Commits downloads in groups: moves each verified partial file into place and writes its row, in one transaction for
/// the group, then keeps the budget; the flush to disk follows on the <see cref="DiskFlusher"/> it owns. <see cref="Dispose"/> flushes what is still queued.
/// </summary>
internal sealed class MediaCommitter : IDisposable
{
    private readonly IFileSystem _fileSystem;
    private readonly CachePaths _paths;
    private readonly MediaDownloader _downloader;
    private readonly CacheBudget _budget;
    private readonly RetiredFiles _retired;
    private readonly TimeProvider _time;
    private readonly Func<MediaIndex?> _openIndex;
    private readonly ILogger _logger;
    private readonly DiskFlusher _flusher;
    private long _commits;

    /// <param name="fileSystem">The file system of the cache.</param>
    /// <param name="paths">The cache's paths.</param>
    /// <param name="downloader">Deletes a partial file that cannot be committed.</param>
    /// <param name="budget">The cache's size.</param>
    /// <param name="retired">The files of rows gone, which a commit replacing a file of another name adds to.</param>
    /// <param name="time">The clock of the rows and the flush delay.</param>
    /// <param name="openIndex">The index if it is open, for the flusher to record files flushed.</param>
    /// <param name="logger">The cache's logger.</param>
    public MediaCommitter(
        IFileSystem fileSystem,
        CachePaths paths,
        MediaDownloader downloader,
        CacheBudget budget,
        RetiredFiles retired,
        TimeProvider time,
        Func<MediaIndex?> openIndex,
        ILogger logger)
    {
        _fileSystem = fileSystem;
        _paths = paths;
        _downloader = downloader;
        _budget = budget;
        _retired = retired;
        _commits = Random.Shared.NextInt64(1L << 62); // Apart from the commits of other instances that share the index.
        _time = time;
        _openIndex = openIndex;
        _logger = logger;
        _flusher = new DiskFlusher(fileSystem, time, ForgetFlushed, KeepUnflushed);
    }

    /// <summary>
    /// Makes ready a verified download of <paramref name="request"/> for its group commit, outside the mutation lock: the
    /// folders on the way to <paramref name="path"/> are created (or refused as links) now.
    /// </summary>
    public PendingCommit Prepare(DownloadRequest request, string sourceUrl, DownloadResult result, string relative, string path)
    {
        try
        {
            _paths.CreateFolder(_fileSystem.Path.GetDirectoryName(path)!); // Refuses a link on the way: the move would go through it.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or MediaCacheException)
        {
            _downloader.DeletePartial(request);
            throw StoreFailed(request.Key, ex);
        }

        return new PendingCommit(request, sourceUrl, result, relative, path);
    }

    /// <summary>
    /// Commits <paramref name="group"/> under the mutation lock, in one write transaction of <paramref name="index"/>, ending
    /// <paramref name="leaseOwner"/>'s lease on each key, and takes the <paramref name="leases"/> asked for meanwhile in it
    /// (<paramref name="isAlive"/> tells a holder that is gone); then keeps the budget, and completes each task.
    /// </summary>
    public void CommitLocked(
        MediaIndex index, IReadOnlyList<PendingLease> leases, IReadOnlyList<PendingCommit> group, string leaseOwner, Func<string, bool> isAlive)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var (rows, files) = Rows(group, now, leaseOwner);
        var (outcomes, holders, total) = index.Commit(rows, leases.Select(static lease => lease.Key).ToList(), leaseOwner, isAlive);
        for (var i = 0; i < leases.Count; i++)
        {
            leases[i].Completion.TrySetResult(holders[i]); // Taken (or not) as the transaction committed, whatever the budget does next.
        }

        if (Committed(outcomes, files, now) is { } last)
        {
            // Keeps the group's last file, as one commit after the other would: the others may go, their files retired
            // (readable still for the grace period) like a file evicted by the next commit a moment after it was returned.
            _budget.TrimAfterCommitLocked(index, last, total);
        }

        for (var i = 0; i < group.Count; i++)
        {
            var commit = group[i];
            if (outcomes[i].Failure is { } failure)
            {
                _downloader.DeletePartial(commit.Request); // After the commit's transaction: it writes to the index too.
                commit.Completion.TrySetException(StoreFailed(commit.Request.Key, failure));
            }
            else
            {
                commit.Completion.TrySetResult((rows[i].Entry with { PinnedUntil = outcomes[i].PinnedUntil }).ToCachedMedia(commit.Path));
            }
        }
    }

    /// <summary>Flushes the files still queued and forgets them, so a clean close leaves none to check.</summary>
    public void Dispose() => _flusher.Dispose();

    /// <summary>The rows of a group, and its files as the flusher will know them (numbered under the mutation lock).</summary>
    private (CommitRow[] Rows, CommittedFile[] Files) Rows(IReadOnlyList<PendingCommit> group, long now, string leaseOwner)
    {
        var rows = new CommitRow[group.Count];
        var files = new CommittedFile[group.Count];
        for (var i = 0; i < group.Count; i++)
        {
            var commit = group[i];
            files[i] = new CommittedFile(commit.Path, commit.Relative, ++_commits);
            rows[i] = new CommitRow(Entry(commit, now), new CommitDetails(
                _fileSystem.Path.GetFileName(commit.Request.PartialPath), files[i].Commit, leaseOwner, () => MoveIntoPlace(commit.Path, commit.Request.PartialPath)));
        }

        return (rows, files);
    }

    /// <summary>Queues the files committed for their flush and retires the files they replaced under other paths.</summary>
    /// <returns>The place in the order of use of the group's last file committed, or <see langword="null"/> when none was.</returns>
    private long? Committed(CommitOutcome[] outcomes, CommittedFile[] files, long now)
    {
        long? last = null;
        for (var i = 0; i < outcomes.Length; i++)
        {
            if (outcomes[i].Failure is null)
            {
                _flusher.Enqueue(files[i]);
                last = Math.Max(last ?? 0, outcomes[i].Seq);
                if (outcomes[i].ReplacedPath is not null)
                {
                    _retired.Retired(now); // The same key under another extension: its file goes after the grace period.
                }
            }
        }

        return last;
    }

    private static IndexEntry Entry(PendingCommit commit, long now) =>
        new(commit.Request.Key, commit.Relative, SafeUrl.Redact(commit.SourceUrl), commit.Result.Bytes, commit.Result.ContentType, commit.Result.ETag,
            commit.Result.LastModified?.ToUnixTimeMilliseconds(), commit.Result.Sha256, now, now, ContentHash: commit.Result.ContentHash)
        {
            FreshUntil = commit.Result.Freshness.FreshUntil(DateTimeOffset.FromUnixTimeMilliseconds(now)),
        };

    private static MediaCacheException StoreFailed(MediaKey key, Exception ex) => ex is MediaCacheException refused
        ? new MediaCacheException(refused.Error, $"Storing {key} failed: {refused.Message}", ex) { Key = key }
        : new MediaCacheException(MediaCacheError.Storage, $"Storing {key} failed: the file could not be moved into the cache ({ex.Message}).", ex) { Key = key };

    /// <summary>
    /// Moves a verified partial file into place, inside the commit's write transaction. Its folder was made ready before;
    /// one removed since (the cache's folder cleared by hand while open) is made again, checked from the root down.
    /// </summary>
    private void MoveIntoPlace(string path, string partialPath)
    {
        try
        {
            _fileSystem.File.Move(partialPath, path, overwrite: true);
        }
        catch (DirectoryNotFoundException) when (_fileSystem.File.Exists(partialPath))
        {
            _paths.ForgetCheckedFolders();
            _paths.CreateFolder(_fileSystem.Path.GetDirectoryName(path)!);
            _fileSystem.File.Move(partialPath, path, overwrite: true);
        }
    }

    /// <summary>Runs on a thread of the flusher (before the cache's close disposes the index: it waits for them).</summary>
    private void ForgetFlushed(IReadOnlyList<CommittedFile> files)
    {
        try
        {
            _openIndex()?.ForgetUnflushed(files);
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            // Not thrown on: this is the flusher's own thread, where an exception would end the process.
            Log.FlushedFilesNotRecorded(_logger, files.Count, ex);
        }
    }

    private void KeepUnflushed(CommittedFile file, Exception exception) => Log.FileNotFlushed(_logger, file.IndexPath, exception);
}
