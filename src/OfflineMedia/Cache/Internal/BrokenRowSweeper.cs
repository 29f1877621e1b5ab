using System.Collections.Concurrent;
using System.IO.Abstractions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using OfflineMedia.Diagnostics;

namespace OfflineMedia.Cache.Internal;

/// <summary>
/// Drops the rows a read found broken (file gone, or of the wrong size) on the thread pool: dropping one needs the
/// mutation lock, which a commit or a trim holds across its writes, and a reader (often a screen's) must never wait for
/// one. Rows queued together are dropped in one pass.
/// </summary>
internal sealed class BrokenRowSweeper
{
    private readonly ConcurrentDictionary<MediaKey, IndexEntry> _rows = new();
    private readonly IFileSystem _fileSystem;
    private readonly CachePaths _paths;
    private readonly SemaphoreSlim _mutation;
    private readonly Action<Action<MediaIndex>> _whileOpen;
    private readonly ILogger _logger;
    private int _passQueued;

    /// <param name="fileSystem">The file system the files are checked on.</param>
    /// <param name="paths">The cache's paths.</param>
    /// <param name="mutation">The cache's mutation lock, taken before <paramref name="whileOpen"/>.</param>
    /// <param name="whileOpen">Runs a write on the index under the open gate, unless the cache is closed.</param>
    /// <param name="logger">The cache's logger.</param>
    public BrokenRowSweeper(
        IFileSystem fileSystem, CachePaths paths, SemaphoreSlim mutation, Action<Action<MediaIndex>> whileOpen, ILogger logger)
    {
        _fileSystem = fileSystem;
        _paths = paths;
        _mutation = mutation;
        _whileOpen = whileOpen;
        _logger = logger;
    }

    /// <summary>Queues the row read as <paramref name="entry"/> to be dropped, and starts a pass unless one is queued.</summary>
    public void Queue(IndexEntry entry)
    {
        _rows[entry.Key] = entry;
        if (Interlocked.Exchange(ref _passQueued, 1) == 0)
        {
            _ = Task.Run(DropAsync);
        }
    }

    private async Task DropAsync()
    {
        await _mutation.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            // Cleared before the rows are taken: a row queued after this starts another pass, so none waits for a later read.
            Volatile.Write(ref _passQueued, 0);
            var found = new List<IndexEntry>(_rows.Count);
            foreach (var key in _rows.Keys)
            {
                if (_rows.TryRemove(key, out var entry))
                {
                    found.Add(entry);
                }
            }

            // Never to an index that the close disposed; the next read of a row left finds it again.
            _whileOpen(index => DropIfStillBroken(index, found));
        }
        catch (SqliteException ex)
        {
            // The rows stay, reported missing by every read (each queues it again) until a drop succeeds.
            Log.BrokenEntriesNotDropped(_logger, ex);
        }
        finally
        {
            _mutation.Release();
        }
    }

    /// <summary>
    /// Drops the rows whose file was found missing or of the wrong size, unless one changed since it was read: an
    /// eviction or removal may have dropped it already , or a new download replaced it.
    /// Decided under the mutation lock, so neither can interleave with the drop; the rows go in one transaction.
    /// </summary>
    private void DropIfStillBroken(MediaIndex index, List<IndexEntry> found)
    {
        var broken = found.FindAll(entry =>
            index.Find(entry.Key) is { } current
            && current.RelativePath == entry.RelativePath && current.Size == entry.Size && current.CachedAt == entry.CachedAt
            && !IsFileIntact(current));
        index.Delete(broken.ConvertAll(e => e.Key), retireAt: null); // Their files are gone or wrong: none to keep for a reader.
        broken.ForEach(e => Log.EntryFileMissing(_logger, e.Key));
    }

    private bool IsFileIntact(IndexEntry entry)
    {
        try
        {
            var file = _fileSystem.FileInfo.New(_paths.Resolve(entry.RelativePath));
            return file.Exists && file.Length == entry.Size;
        }
        catch (MediaCacheException)
        {
            return false;
        }
    }
}
