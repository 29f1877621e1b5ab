using System.Diagnostics;
using System.Globalization;
using System.IO.Abstractions;
using Microsoft.Extensions.Logging;
using OfflineMedia.Diagnostics;

namespace OfflineMedia.Cache.Internal;

/// <summary>
/// The cache instances that have one folder open, in this process or in others (an app and its background task, an app
/// and its extension in a shared container, two windows of a desktop app). Each open instance holds an exclusive lock on a
/// file of its own, <c>tmp/{id}.live</c>, for as long as it is open. The OS releases a lock when its process ends, however
/// it ends, so another instance can tell a live holder of a download lease from one killed mid-download, without a
/// heartbeat. Opens and closes take <c>tmp/open.lock</c> in turn, so an open that finds itself alone repairs what a crash
/// left while no other instance can start.
/// </summary>
/// <remarks>
/// File locks are what .NET takes for <see cref="FileShare.None"/>: advisory locks (<c>flock</c>) on Unix, share modes
/// on Windows. Where the file system has none (some network shares, or .NET's file locking turned off), a second instance
/// would be unaware of the first: it is refused with <see cref="MediaCacheError.CacheFolderInUse"/> instead. Only there
/// does a live file hold anything (its process's id and start time); where locks work, the lock is the whole record.
/// </remarks>
internal sealed class CacheInstances : IDisposable
{
    /// <summary>The name of the lock that opens and closes take in turn.</summary>
    internal const string OpenLockName = "open.lock";

    private const string LiveExtension = ".live";

    /// <summary>How long an open waits for another instance's open (a repair after a crash can take seconds) or close.</summary>
    private static readonly TimeSpan s_openWait = TimeSpan.FromMinutes(1);

    private readonly IFileSystem _fileSystem;
    private readonly CachePaths _paths;
    private readonly ILogger _logger;
    private Stream? _live;
    private bool _locksWork = true;

    public CacheInstances(IFileSystem fileSystem, CachePaths paths, ILogger logger)
    {
        _fileSystem = fileSystem;
        _paths = paths;
        _logger = logger;
        Id = Guid.NewGuid().ToString("N");
    }

    /// <summary>Gets this instance's id: the owner of its download leases.</summary>
    public string Id { get; }

    /// <summary>Whether a name in <c>tmp/</c> is one this part writes: the open lock, or an instance's live file.</summary>
    public static bool IsInstanceFileName(string name) =>
        name == OpenLockName
        || (name.EndsWith(LiveExtension, StringComparison.Ordinal) && CachePaths.IsKeyHash(name[..^LiveExtension.Length]));

    /// <summary>
    /// Takes the folder's open lock, waiting for another instance's open or close to finish. The wait runs on real time:
    /// a test's fake clock cannot make another process finish.
    /// </summary>
    public IDisposable LockOpening()
    {
        var path = _fileSystem.Path.Combine(_paths.TempDirectory, OpenLockName);
        var waited = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            CachePaths.RemoveLinkBeforeWrite(_fileSystem, path);
            try
            {
                return _fileSystem.FileStream.New(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException && waited.Elapsed < s_openWait)
            {
                Thread.Sleep(pause);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(200).Ticks));
            }
            catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
            {
                throw new MediaCacheException(MediaCacheError.Storage,
                    $"The cache folder '{_paths.Root}' is being opened or closed by another instance that did not finish within {s_openWait.TotalSeconds:0} seconds.", ex);
            }
        }
    }

    /// <summary>
    /// Registers this instance, under the open lock: creates and locks its live file, and removes those of instances that
    /// are gone. Refuses with <see cref="MediaCacheError.CacheFolderInUse"/> when another instance is open and file locks
    /// do not work here.
    /// </summary>
    /// <returns>Whether this is the only instance open on the folder.</returns>
    public bool Register()
    {
        if (_live is null)
        {
            var path = LivePath(Id);
            _live = _fileSystem.FileStream.New(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
            _locksWork = LocksWork(path);
            if (!_locksWork)
            {
                // Without locks, this process running is the sign that the instance is open: its id, and its start
                // time so a later process given the same id is not taken for it. (Looking the start time up loads
                // System.Diagnostics.Process, a few milliseconds of a first lookup that a folder with locks is spared.)
                using (var written = new StreamWriter(_live, leaveOpen: true))
                {
                    written.Write(string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId} {ProcessStart()}"));
                }

                Log.FileLocksUnsupported(_logger, _paths.Root);
                if (OthersAlive())
                {
                    Dispose();
                    throw new MediaCacheException(MediaCacheError.CacheFolderInUse,
                        $"The cache folder '{_paths.Root}' is open in another cache instance, and its file system has no file locks to share it safely. Give each process a folder of its own, or close the other instance first.");
                }

                return true;
            }
        }

        return !OthersAlive();
    }

    /// <summary>Whether another instance has the folder open; removes the live files of instances that are gone.</summary>
    public bool OthersAlive()
    {
        var others = false;
        foreach (var entry in _fileSystem.DirectoryInfo.New(_paths.TempDirectory).EnumerateFiles("*" + LiveExtension))
        {
            var id = entry.Name[..^LiveExtension.Length];
            others |= id != Id && IsInstanceFileName(entry.Name) && !CachePaths.IsLink(entry) && IsAlive(id);
        }

        return others;
    }

    /// <summary>
    /// Whether the instance <paramref name="id"/> is open: this one, or one whose live file is locked (or, where file locks
    /// do not work, whose process still runs). A gone instance's file is removed.
    /// </summary>
    public bool IsAlive(string id)
    {
        if (id == Id)
        {
            return true;
        }

        if (!CachePaths.IsKeyHash(id))
        {
            return false; // Not an id this part writes: no instance holds it.
        }

        var path = LivePath(id);
        string recorded;
        try
        {
            using var live = _fileSystem.FileStream.New(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            using var reader = new StreamReader(live);
            recorded = reader.ReadToEnd();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true; // Locked: its instance is open.
        }
        catch (UnauthorizedAccessException)
        {
            return true; // Not ours to judge: another user's instance would have to be this user's folder first.
        }

        if (!_locksWork && ProcessRuns(recorded))
        {
            return true; // No process here can take a lock: its process running is the sign.
        }

        try
        {
            _fileSystem.File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.FileNotDeleted(_logger, path, ex);
        }

        return false;
    }

    /// <summary>Unregisters this instance: its lock ends and its live file goes.</summary>
    public void Dispose()
    {
        if (_live is { } live)
        {
            _live = null;
            try
            {
                _fileSystem.File.Delete(LivePath(Id)); // While still locked: no other instance judges it meanwhile.
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.FileNotDeleted(_logger, LivePath(Id), ex);
            }

            live.Dispose();
        }
    }

    /// <summary>
    /// Lets go of this instance's lock and leaves its live file, as the end of its process would: for tests that stand
    /// for an app killed, in the process that runs them.
    /// </summary>
    internal void ReleaseAsIfKilled()
    {
        _live?.Dispose();
        _live = null;
    }

    private string LivePath(string id) => _fileSystem.Path.Combine(_paths.TempDirectory, id + LiveExtension);

    /// <summary>Whether a second exclusive open of a file this instance holds is refused, as it is where file locks work.</summary>
    private bool LocksWork(string path)
    {
        try
        {
            _fileSystem.FileStream.New(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose();
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static long ProcessStart()
    {
        try
        {
            using var process = Process.GetCurrentProcess();
            return new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds();
        }
        catch (Exception ex) when (ex is PlatformNotSupportedException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return 0; // Where a process cannot see its own start, its id alone names it.
        }
    }

    /// <summary>
    /// Whether the process recorded in a live file (its id and start time) still runs, where file locks cannot tell; where
    /// processes cannot be looked up either, it counts as ended.
    /// </summary>
    private static bool ProcessRuns(string recorded)
    {
        var parts = recorded.Split(' ');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var started))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return started == 0 || Math.Abs(new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() - started) < 1000;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or PlatformNotSupportedException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
