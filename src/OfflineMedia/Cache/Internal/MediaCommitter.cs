using System.IO.Abstractions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using OfflineMedia.Diagnostics;
using OfflineMedia.Internal;

namespace OfflineMedia.Cache.Internal;

/// <summary>
/// Commits downloads: moves a verified partial file into place, then writes its row, then keeps the budget; the flush
/// to disk follows on the <see cref="DiskFlusher"/> it owns. <see cref="Dispose"/> flushes what is still queued.
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
    /// Commits a verified download of <paramref name="request"/> to <paramref name="relative"/> (at <paramref name="path"/>),
    /// under the mutation lock, ending <paramref name="leaseOwner"/>'s lease on the key.
    /// </summary>
    public CachedMedia CommitLocked(
        MediaIndex index, DownloadRequest request, string sourceUrl, DownloadResult result, string relative, string path, string? leaseOwner)
    {
        var key = request.Key;
        var previous = index.Find(key);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var entry = new IndexEntry(key, relative, SafeUrl.Redact(sourceUrl), result.Bytes, result.ContentType, result.ETag,
            result.LastModified?.ToUnixTimeMilliseconds(), result.Sha256, now, now, ContentHash: result.ContentHash)
        {
            FreshUntil = result.Freshness.FreshUntil(DateTimeOffset.FromUnixTimeMilliseconds(now)),
        };
        var committed = new CommittedFile(path, relative, ++_commits); // Under the mutation lock.
        long total;
        try
        {
            total = index.Commit(entry, new CommitDetails(
                _fileSystem.Path.GetFileName(request.PartialPath), committed.Commit, leaseOwner, () => MoveIntoPlace(path, request.PartialPath)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _downloader.DeletePartial(request); // After the commit's transaction: it writes to the index too.
            throw new MediaCacheException(MediaCacheError.Storage, $"Storing {key} failed: the file could not be moved into the cache ({ex.Message}).", ex) { Key = key };
        }
        catch (MediaCacheException ex)
        {
            _downloader.DeletePartial(request);
            throw new MediaCacheException(ex.Error, $"Storing {key} failed: {ex.Message}", ex) { Key = key };
        }

        _flusher.Enqueue(committed);
        if (previous is not null && previous.RelativePath != relative)
        {
            _retired.Retired(now); // The same key under another extension: its file goes after the grace period.
        }

        _budget.TrimAfterCommitLocked(index, keep: key, total);

        return (entry with { PinnedUntil = index.Find(key)?.PinnedUntil }).ToCachedMedia(path);
    }

    /// <summary>Flushes the files still queued and forgets them, so a clean close leaves none to check.</summary>
    public void Dispose() => _flusher.Dispose();

    /// <summary>Moves a verified partial file into place, inside the commit's write transaction.</summary>
    private void MoveIntoPlace(string path, string partialPath)
    {
        _paths.CreateFolder(_fileSystem.Path.GetDirectoryName(path)!); // Refuses a link on the way: the move would go through it.
        _fileSystem.File.Move(partialPath, path, overwrite: true);
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
