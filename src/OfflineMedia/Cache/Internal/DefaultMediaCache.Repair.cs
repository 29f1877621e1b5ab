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
    /// and unverifiable are dropped and files without a row are removed.
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
                _fileSystem.Directory.CreateDirectory(_paths.Root);
                _fileSystem.Directory.CreateDirectory(_paths.MediaDirectory);
                _fileSystem.Directory.CreateDirectory(_paths.TempDirectory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new MediaCacheException(MediaCacheError.Storage, $"The cache folder '{_paths.Root}' cannot be created: {ex.Message}", ex);
            }

            var index = OpenIndex(out var rebuilt);
            SweepPartialFiles(index);
            var unflushed = index.UnflushedFiles();
            if (rebuilt || !index.WasCleanlyClosed || unflushed.Count > 0)
            {
                Reconcile(index, unflushed);
            }

            Interlocked.Exchange(ref _totalBytes, index.TotalBytes());
            Volatile.Write(ref _index, index);
            return index;
        }
    }

    private MediaIndex OpenIndex(out bool rebuilt)
    {
        rebuilt = false;
        try
        {
            return MediaIndex.Open(_paths.IndexFile);
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

    /// <summary>Keeps the partial files that can still resume (recorded in the index, and recent); removes the rest, and the records of files gone.</summary>
    private void SweepPartialFiles(MediaIndex index)
    {
        var recorded = index.PartialFiles();
        var kept = new HashSet<string>(StringComparer.Ordinal);
        var cutoff = _time.GetUtcNow() - s_partialFileLifetime;
        foreach (var file in _fileSystem.Directory.EnumerateFiles(_paths.TempDirectory))
        {
            var name = _fileSystem.Path.GetFileName(file);
            if (name.EndsWith(".part", StringComparison.Ordinal) && recorded.Contains(name) && _fileSystem.File.GetLastWriteTimeUtc(file) > cutoff.UtcDateTime)
            {
                kept.Add(name);
            }
            else
            {
                TryDelete(file); // Also a .part.json sidecar, where version 3 of the index kept this.
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
            if (file.Exists && file.Length == entry.Size && (!unflushed.Contains(entry.RelativePath) || IsStillAsVerified(path, entry)))
            {
                known.Add(path);
            }
            else
            {
                broken.Add(entry.Key);
            }
        }

        index.Delete(broken);

        var orphans = 0;
        if (_fileSystem.Directory.Exists(_paths.MediaDirectory))
        {
            foreach (var file in _fileSystem.Directory.EnumerateFiles(_paths.MediaDirectory, "*", SearchOption.AllDirectories))
            {
                if (!known.Contains(file))
                {
                    TryDelete(file);
                    orphans++;
                }
            }
        }

        index.ClearUnflushed();
        Log.Repaired(_logger, broken.Count, orphans);
    }

    /// <summary>
    /// Whether a file committed before it was flushed still holds the bytes verified then: after the machine went down
    /// (not only the app), its blocks may never have reached the disk. Without a digest to tell, it is downloaded again.
    /// If it matches, it is flushed now.
    /// </summary>
    private bool IsStillAsVerified(string path, IndexEntry entry)
    {
        if (entry.Sha256 is null)
        {
            return false;
        }

        try
        {
            using var file = _fileSystem.FileStream.New(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
            if (!string.Equals(Hex.Lower(SHA256.HashData(file)), entry.Sha256, StringComparison.Ordinal))
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
