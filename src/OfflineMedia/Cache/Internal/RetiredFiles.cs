using System.IO.Abstractions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using OfflineMedia.Diagnostics;

namespace OfflineMedia.Cache.Internal;

/// <summary>
/// The files of rows gone (evicted, removed, or replaced by a file of another name) stay on disk for <see cref="Grace"/>
/// before they are deleted: a path the cache handed out a moment earlier, in this process or another, stays readable
/// while a player or an image view opens it. (Once open, a file stays readable after its deletion on Unix.) The index
/// lists them (<c>retired</c>); any instance deletes those due, after an eviction, on a timer, soon after it opens, and
/// on close.
/// </summary>
internal sealed class RetiredFiles : IDisposable
{
    /// <summary>How long a file stays on disk after its row is gone.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    private readonly IFileSystem _fileSystem;
    private readonly CachePaths _paths;
    private readonly TimeProvider _time;
    private readonly Action<Action<MediaIndex>> _whileOpen;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private long _armedFor = long.MaxValue;

    /// <param name="fileSystem">The file system of the cache.</param>
    /// <param name="paths">The cache's paths.</param>
    /// <param name="time">The clock of the grace period and its timer.</param>
    /// <param name="whileOpen">Runs a write on the index under the open gate, unless the cache is closed.</param>
    /// <param name="logger">The cache's logger.</param>
    public RetiredFiles(IFileSystem fileSystem, CachePaths paths, TimeProvider time, Action<Action<MediaIndex>> whileOpen, ILogger logger)
    {
        _fileSystem = fileSystem;
        _paths = paths;
        _time = time;
        _whileOpen = whileOpen;
        _logger = logger;
        _timer = time.CreateTimer(static state => ((RetiredFiles)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Files were retired at <paramref name="at"/> (Unix milliseconds): their deletion is due a grace period later.</summary>
    public void Retired(long at) => Arm(at + (long)Grace.TotalMilliseconds);

    /// <summary>Sets the timer to sweep at once, on its own thread.</summary>
    public void SweepSoon() => Arm(Now);

    /// <summary>Deletes the retired files that are due, and sets the timer for the next.</summary>
    public void Sweep(MediaIndex index)
    {
        var graceMs = (long)Grace.TotalMilliseconds;
        if (index.DeleteRetired(Now - graceMs, Delete) is { } next)
        {
            Arm(next + graceMs);
        }
    }

    public void Dispose() => _timer.Dispose();

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private void OnTimer()
    {
        Interlocked.Exchange(ref _armedFor, long.MaxValue);
        try
        {
            _whileOpen(Sweep);
        }
        catch (SqliteException ex)
        {
            Log.RetiredFilesNotDeleted(_logger, ex); // Not thrown on: a timer's thread. They stay listed for the next sweep.
        }
    }

    /// <summary>Sets the timer to <paramref name="dueAt"/> unless it is set to fire earlier.</summary>
    private void Arm(long dueAt)
    {
        long armed;
        do
        {
            armed = Volatile.Read(ref _armedFor);
            if (armed <= dueAt)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _armedFor, dueAt, armed) != armed);

        try
        {
            _timer.Change(TimeSpan.FromMilliseconds(Math.Max(0, dueAt - Now)), Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Closed: the next open deletes what is due.
        }
    }

    /// <summary>Deletes a retired file; one that cannot be deleted (open without sharing, on Windows) is logged and left to the repair.</summary>
    private void Delete(string relativePath)
    {
        try
        {
            var path = _paths.Resolve(relativePath);
            if (_paths.FindLinkOnTheWay(path) is { } link)
            {
                throw CachePaths.LinkRefused(link); // Deleting through it would delete a file outside the cache.
            }

            _fileSystem.File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or MediaCacheException)
        {
            Log.FileNotDeleted(_logger, relativePath, ex);
        }
    }
}
