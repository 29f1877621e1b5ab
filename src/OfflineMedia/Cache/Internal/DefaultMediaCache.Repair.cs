using System.IO.Abstractions;
using System.IO.Hashing;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using OfflineMedia.Diagnostics;
using OfflineMedia.Internal;

namespace OfflineMedia.Cache.Internal;

internal sealed partial class DefaultMediaCache
{
    /// <summary>How long a partial file is kept for a resume that may never come.</summary>
    private static readonly TimeSpan s_partialFileLifetime = TimeSpan.FromDays(7);

    /// <summary>
    /// Opens the index on first use and repairs what a crash can leave: an unreadable index is moved aside
    /// and rebuilt; stale partial files are removed (fresh ones stay to be resumed); after an unclean close, or
    /// when files were committed but never flushed, rows whose file is missing, of the wrong size or unflushed
    /// and unverifiable are dropped and files without a row are removed. Only files named as the cache names its own are
    /// ever deleted, and no link is followed: the folder is claimed first (see <see cref="CacheOwnership"/>).
    /// </summary>
    private MediaIndex Open()
    {
        lock (_openGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_index is { } opened)
            {
                return opened;
            }

            try
            {
                CacheOwnership.Claim(_fileSystem, _paths, _logger);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new MediaCacheException(MediaCacheError.Storage, $"The cache folder '{_paths.Root}' cannot be created: {ex.Message}", ex);
            }

            using (_instances.LockOpening())
            {
                var index = OpenIndex(out var rebuilt, alone: RegisterInstance());
                Volatile.Write(ref _index, index);

                // Files evicted by an instance that closed (or ended) within the grace period: deleted on the timer's
                // thread, not on the way to the first lookup.
                _retired.SweepSoon();
                return index;
            }
        }
    }

    /// <summary>
    /// Registers this instance, under the open lock. When it is the only one open on the folder, repairs what a crash
    /// left; when another instance is open, its partial files, unflushed files and files between their move and their row are
    /// in use, so the repair waits for an open that finds itself alone.
    /// </summary>
    /// <returns>Whether this instance is the only one open.</returns>
    private bool RegisterInstance()
    {
        try
        {
            return _instances.Register();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MediaCacheException(MediaCacheError.Storage, $"The cache folder '{_paths.Root}' cannot be opened: {ex.Message}", ex);
        }
    }

    private MediaIndex OpenIndex(out bool rebuilt, bool alone)
    {
        var index = OpenIndexFile(out rebuilt, alone);
        try
        {
            if (!alone)
            {
                Log.RepairLeftToTheLastInstance(_logger, _paths.Root);
                return index;
            }

            SweepPartialFiles(index);
            var unflushed = index.UnflushedFiles();
            if (rebuilt || !index.WasCleanlyClosed || unflushed.Count > 0)
            {
                Reconcile(index, unflushed);
            }

            return index;
        }
        catch
        {
            index.Close(markClean: false);
            throw;
        }
    }

    private MediaIndex OpenIndexFile(out bool rebuilt, bool alone)
    {
        rebuilt = false;
        try
        {
            return MediaIndex.Open(_paths.IndexFile, alone);
        }
        catch (SqliteException ex)
        {
            var aside = $"{_paths.IndexFile}.corrupt-{_time.GetUtcNow():yyyyMMddHHmmss}";
            Log.IndexRebuilt(_logger, _paths.IndexFile, aside, ex);
            SqliteConnection.ClearAllPools();
            MoveAside(_paths.IndexFile, aside);
            foreach (var suffix in (string[])["-wal", "-shm"])
            {
                TryDelete(_paths.IndexFile + suffix);
            }

            rebuilt = true;
            try
            {
                return MediaIndex.Open(_paths.IndexFile);
            }
            catch (SqliteException again)
            {
                throw new MediaCacheException(MediaCacheError.Storage, $"The cache index '{_paths.IndexFile}' cannot be created: {again.Message}", again);
            }
        }
    }

    /// <summary>
    /// Keeps the partial files that can still resume (recorded in the index, recent, not empty); removes the rest, and the
    /// records of files gone. A link is removed as a link; a name the cache does not write is left alone.
    /// </summary>
    private void SweepPartialFiles(MediaIndex index)
    {
        var recorded = index.PartialFiles();
        var kept = new HashSet<string>(StringComparer.Ordinal);
        var cutoff = _time.GetUtcNow() - s_partialFileLifetime;
        foreach (var entry in _fileSystem.DirectoryInfo.New(_paths.TempDirectory).EnumerateFileSystemInfos())
        {
            var name = entry.Name;
            if (CachePaths.IsLink(entry))
            {
                RemoveLink(entry);
            }
            else if (entry is IFileInfo && CacheInstances.IsInstanceFileName(name))
            {
                continue; // The open lock, and the live files of instances (RegisterInstance removed those of instances gone).
            }
            else if (entry is not IFileInfo || !CachePaths.IsPartialFileName(name))
            {
                Log.ForeignEntryLeft(_logger, entry.FullName);
            }
            else if (name.EndsWith(".part", StringComparison.Ordinal) && recorded.Contains(name) && entry.LastWriteTimeUtc > cutoff.UtcDateTime
                && ((IFileInfo)entry).Length > 0)
            {
                kept.Add(name);
            }
            else
            {
                TryDelete(entry.FullName); // Also a .part.json sidecar, where version 3 of the index kept this.
                Log.PartialFileRemoved(_logger, name);
            }
        }

        recorded.ExceptWith(kept);
        index.RemovePartials(recorded);
    }

    private void Reconcile(MediaIndex index, HashSet<string> unflushed)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        var broken = new List<MediaKey>();
        foreach (var entry in index.All())
        {
            string path;
            try
            {
                path = _paths.Resolve(entry.RelativePath);
            }
            catch (MediaCacheException)
            {
                broken.Add(entry.Key);
                continue;
            }

            var file = _fileSystem.FileInfo.New(path);
            if (file.Exists && !CachePaths.IsLink(file) && _paths.FindLinkOnTheWay(path) is null && file.Length == entry.Size && (!unflushed.Contains(entry.RelativePath) || IsStillAsVerified(path, entry)))
            {
                known.Add(path);
            }
            else
            {
                broken.Add(entry.Key);
            }
        }

        index.Delete(broken, retireAt: null); // The files are gone, wrong or unverifiable: RemoveOrphans deletes what is left.

        var orphans = RemoveOrphans(known);
        index.ClearUnflushed();
        Log.Repaired(_logger, broken.Count, orphans);
    }

    /// <summary>
    /// Removes the files without a row, walking only the folders the cache writes (<c>media/{kind}/{exercise}/</c>) and
    /// deleting only files named as the cache names them. A link is never followed: a link to a file is removed as a
    /// link, a link to a folder is left (a download into it is refused). Anything else is not the cache's and stays.
    /// </summary>
    /// <returns>How many files were removed.</returns>
    private int RemoveOrphans(HashSet<string> known)
    {
        var orphans = 0;
        foreach (var kind in CachePaths.KindFolders)
        {
            var kindFolder = _fileSystem.DirectoryInfo.New(_fileSystem.Path.Combine(_paths.MediaDirectory, kind));
            if (CachePaths.IsLink(kindFolder))
            {
                throw CachePaths.LinkRefused(kindFolder.FullName);
            }

            foreach (var exercise in kindFolder.EnumerateDirectories())
            {
                if (CachePaths.IsLink(exercise) || !CachePaths.IsSegmentName(exercise.Name))
                {
                    Log.ForeignEntryLeft(_logger, exercise.FullName);
                    continue;
                }

                foreach (var entry in exercise.EnumerateFileSystemInfos())
                {
                    if (CachePaths.IsLink(entry))
                    {
                        RemoveLink(entry);
                    }
                    else if (entry is not IFileInfo || !CachePaths.IsMediaFileName(kind, entry.Name))
                    {
                        Log.ForeignEntryLeft(_logger, entry.FullName);
                    }
                    else if (!known.Contains(entry.FullName))
                    {
                        TryDelete(entry.FullName);
                        orphans++;
                    }
                }
            }
        }

        return orphans;
    }

    private void RemoveLink(IFileSystemInfo link)
    {
        try
        {
            CachePaths.RemoveLink(_fileSystem, link);
            Log.LinkRemoved(_logger, link.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.FileNotDeleted(_logger, link.FullName, ex);
        }
    }

    /// <summary>
    /// Whether a file committed before it was flushed still holds the bytes received then: after the machine went down
    /// (not only the app), its blocks may never have reached the disk. It is checked against its content hash (XxHash128,
    /// fast), or for a row written before there was one, its catalog digest; without either, it is downloaded again.
    /// If it matches, it is flushed now.
    /// </summary>
    private bool IsStillAsVerified(string path, IndexEntry entry)
    {
        if (entry.ContentHash is null && entry.Sha256 is null)
        {
            return false;
        }

        try
        {
            using var file = _fileSystem.FileStream.New(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
            var matches = entry.ContentHash is { } contentHash
                ? string.Equals(Hex.Lower(ContentHashOf(file)), contentHash, StringComparison.Ordinal)
                : string.Equals(Hex.Lower(SHA256.HashData(file)), entry.Sha256, StringComparison.Ordinal);
            if (!matches)
            {
                return false;
            }

            file.Flush(flushToDisk: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static byte[] ContentHashOf(Stream file)
    {
        var hash = new XxHash128();
        hash.Append(file);
        return hash.GetHashAndReset();
    }

    private void MoveAside(string path, string aside)
    {
        try
        {
            if (_fileSystem.File.Exists(path))
            {
                _fileSystem.File.Move(path, aside, overwrite: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(path);
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            _fileSystem.File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.FileNotDeleted(_logger, path, ex);
        }
    }
}
