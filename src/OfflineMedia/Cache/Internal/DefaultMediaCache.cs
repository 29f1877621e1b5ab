using System.IO.Abstractions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OfflineMedia.Diagnostics;
using OfflineMedia.Internal;
using OfflineMedia.Internal.Sqlite;
using OfflineMedia.Profiles;
using OfflineMedia.Variants;

namespace OfflineMedia.Cache.Internal;

/// <summary>
/// The default <see cref="IMediaCache"/>: files under <c>media/</c>, an index in <c>index.db</c>, downloads
/// through <c>tmp/</c>. A file is moved into place only once complete and verified, and its index row is written
/// after that, so neither a crash nor a cancel can leave a partial file reported as cached. It is flushed to disk
/// after the commit, and an open that finds it unflushed checks it again. See <c>readme.md</c> beside this file.
/// </summary>
internal sealed partial class DefaultMediaCache : IMediaCache, IMediaDownloads, IDisposable, IAsyncDisposable
{
    private readonly IOptionsMonitor<OfflineMediaOptions> _options;
    private readonly IFileSystem _fileSystem;
    private readonly MediaDownloader _downloader;
    private readonly OfflineMediaTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CachePaths _paths;
    private readonly IndexedPartials _partials;
    private readonly DownloadFlights _flights;
    private readonly AccessTimes _accessTimes;
    private readonly Action<MediaIndex> _flushAccess;
    private readonly BrokenRowSweeper _brokenRows;
    private readonly CacheBudget _budget;
    private readonly MediaCommitter _committer;
    private readonly CommitQueue _commits;
    private readonly RetiredFiles _retired;
    private readonly CacheInstances _instances;
    private readonly WriteSignals _writes = new();
    private readonly SemaphoreSlim _mutation = new(1, 1);
    private readonly object _openGate = new();
    private MediaIndex? _index;
    private Task<MediaIndex>? _opening;
    private bool _disposed;

    public DefaultMediaCache(
        IOptionsMonitor<OfflineMediaOptions> options,
        IFileSystem fileSystem,
        IStorageProbe storage,
        MediaDownloader downloader,
        SqliteWarmUp sqlite,
        TimeProvider time,
        OfflineMediaTelemetry telemetry,
        ILogger<DefaultMediaCache> logger)
    {
        sqlite.Start(); // Outside a host, or before it starts: while the first use claims the folder and registers this instance.
        _telemetry = telemetry;
        _options = options;
        _fileSystem = fileSystem;
        _downloader = downloader;
        _time = time;
        _logger = logger;
        _paths = new CachePaths(fileSystem, options.CurrentValue.CacheDirectory);
        _partials = new IndexedPartials(this);
        _flights = new DownloadFlights((key, source, revalidate, flight) =>
            DownloadAsync(key, source, revalidate, flight, flight, flight.Cancellation.Token));
        _accessTimes = new AccessTimes(time);
        _flushAccess = _accessTimes.Flush;
        _instances = new CacheInstances(fileSystem, _paths, logger);
        _retired = new RetiredFiles(fileSystem, _paths, time, WhileOpen, logger);
        _budget = new CacheBudget(options, storage, _paths, _accessTimes, _retired, time, telemetry, logger);
        _committer = new MediaCommitter(fileSystem, _paths, downloader, _budget, _retired, time, () => Volatile.Read(ref _index), logger);
        _commits = new CommitQueue(_mutation, (leases, commits) => _committer.CommitLocked(Index, leases, commits, _instances.Id, _instances.IsAlive));
        _brokenRows = new BrokenRowSweeper(fileSystem, _paths, _mutation, WhileOpen, logger);
    }

    internal CachePaths Paths => _paths;

    /// <summary>Wakes this process's readers of a file at each write of its download.</summary>
    internal WriteSignals Writes => _writes;

    /// <summary>What the download of <paramref name="key"/> recorded when its headers arrived (length, type, validators), or <see langword="null"/>.</summary>
    internal PartialDownload? PartialOf(MediaKey key) => Index.FindPartial(Path.GetFileName(_paths.PartialFile(key)));

    /// <summary>Lets go of the file locks the OS would release if the process were killed (tests stand for a kill with it).</summary>
    internal void ReleaseLocksAsIfKilled() => _instances.ReleaseAsIfKilled();

    /// <remarks>
    /// Never waits for a writer: a hit is one indexed read and a file check on the caller's thread, and completes at once; a
    /// row whose file is gone is reported missing at once and dropped in the background. Only the first use waits, for
    /// the open, without holding the caller's thread.
    /// </remarks>
    public ValueTask<CachedMedia?> TryGetAsync(MediaKey key, CancellationToken cancellationToken = default)
    {
        CachePaths.Validate(key);
        cancellationToken.ThrowIfCancellationRequested();
        return Volatile.Read(ref _index) is null
            ? TryGetAfterOpenAsync(key, cancellationToken)
            : ValueTask.FromResult(TryGet(key, recordAccess: true));
    }

    public Task<IReadOnlyList<CachedMedia>> GetEntriesAsync(string exerciseId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exerciseId);
        cancellationToken.ThrowIfCancellationRequested();
        return Volatile.Read(ref _index) is { } index
            ? Task.FromResult<IReadOnlyList<CachedMedia>>(Entries(index, exerciseId))
            : EntriesAfterOpenAsync(exerciseId, cancellationToken);
    }

    public Task<CachedMedia> GetOrDownloadAsync(MediaKey key, MediaSource source, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        GetOrDownloadAsync(key, source, progress, slot: null, cancellationToken);

    public Task<CachedMedia> GetOrDownloadAsync(MediaKey key, MediaSource source, IProgress<long>? progress, ITransferSlot? slot, CancellationToken cancellationToken)
    {
        CachePaths.Validate(key);
        ArgumentNullException.ThrowIfNull(source);

        if (TryGet(key, recordAccess: true) is { } cached && Matches(cached, source))
        {
            return Task.FromResult(cached);
        }

        return _flights.JoinAsync(key, source, revalidate: false, (progress, slot), cancellationToken);
    }

    public Task<CachedMedia> RevalidateAsync(MediaKey key, MediaSource source, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        RevalidateAsync(key, source, progress, slot: null, cancellationToken);

    public Task<CachedMedia> RevalidateAsync(MediaKey key, MediaSource source, IProgress<long>? progress, ITransferSlot? slot, CancellationToken cancellationToken)
    {
        CachePaths.Validate(key);
        ArgumentNullException.ThrowIfNull(source);
        return _flights.JoinAsync(key, source, revalidate: true, (progress, slot), cancellationToken);
    }

    public Task PinAsync(string pinSet, IEnumerable<MediaKey> keys, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pinSet);
        var list = ValidatedKeys(keys);
        cancellationToken.ThrowIfCancellationRequested();
        Index.Pin(pinSet, list, until.ToUnixTimeMilliseconds());
        return Task.CompletedTask;
    }

    public Task UnpinAsync(string pinSet, IEnumerable<MediaKey>? keys = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pinSet);
        var list = keys is null ? null : ValidatedKeys(keys);
        cancellationToken.ThrowIfCancellationRequested();
        Index.Unpin(pinSet, list);
        return Task.CompletedTask;
    }

    public Task<CacheUsage> GetUsageAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Index.Usage(Now, _options.CurrentValue.CacheSizeLimitBytes));
    }

    public async Task<TrimResult> TrimAsync(long budgetBytes, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(budgetBytes);
        await _mutation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _budget.TrimLocked(Index, budgetBytes, CacheBudget.LowWater(budgetBytes));
        }
        finally
        {
            _mutation.Release();
        }
    }

    public async Task<bool> RemoveAsync(MediaKey key, CancellationToken cancellationToken = default)
    {
        CachePaths.Validate(key);
        await _mutation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _budget.RemoveLocked(Index, [key]) > 0;
        }
        finally
        {
            _mutation.Release();
        }
    }

    public async Task<int> ClearAsync(bool keepPinned = true, CancellationToken cancellationToken = default)
    {
        await _mutation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var removed = _budget.RemoveLocked(Index, Index.ClearCandidates(keepPinned, Now).ConvertAll(e => e.Key));
            if (!keepPinned)
            {
                Index.RemoveAllPins();
            }

            Log.CacheCleared(_logger, removed, keepPinned);
            return removed;
        }
        finally
        {
            _mutation.Release();
        }
    }

    public void Dispose()
    {
        lock (_openGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _retired.Dispose();
            _committer.Dispose(); // Flushes the files still queued and forgets them, so a clean close leaves none to check.
            if (_index is { } index)
            {
                _accessTimes.Flush(index);
                Close(index);
            }

            _instances.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Deletes the retired files that are due, then closes the index, marked clean only by the last instance open on the
    /// folder, under the open lock, so no other instance opens in between.
    /// </summary>
    private void Close(MediaIndex index)
    {
        try
        {
            _retired.Sweep(index);
        }
        catch (SqliteException ex)
        {
            Log.RetiredFilesNotDeleted(_logger, ex); // Listed still: the next open deletes them.
        }

        IDisposable? opening = null;
        try
        {
            opening = _instances.LockOpening();
        }
        catch (Exception ex) when (ex is MediaCacheException or IOException or UnauthorizedAccessException)
        {
            // Another instance's open held the lock for over a minute, or tmp/ is gone: close without marking the index clean.
        }

        using (opening)
        {
            index.Close(markClean: opening is not null && !_instances.OthersAlive());
            _instances.Dispose();
        }
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private MediaIndex Index
    {
        get
        {
            var index = Volatile.Read(ref _index);
            return index ?? Open();
        }
    }

    private static bool Matches(CachedMedia cached, MediaSource source) =>
        (source.Sha256 is null || string.Equals(source.Sha256, cached.Sha256, StringComparison.Ordinal))
        && (source.ExpectedBytes is null || source.ExpectedBytes == cached.Bytes);

    private static List<MediaKey> ValidatedKeys(IEnumerable<MediaKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var list = keys.ToList();
        list.ForEach(CachePaths.Validate);
        return list;
    }

    private async ValueTask<CachedMedia?> TryGetAfterOpenAsync(MediaKey key, CancellationToken cancellationToken)
    {
        await OpenForReadAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return TryGet(key, recordAccess: true);
    }

    private async Task<IReadOnlyList<CachedMedia>> EntriesAfterOpenAsync(string exerciseId, CancellationToken cancellationToken) =>
        Entries(await OpenForReadAsync().WaitAsync(cancellationToken).ConfigureAwait(false), exerciseId);

    private List<CachedMedia> Entries(MediaIndex index, string exerciseId)
    {
        var found = new List<CachedMedia>();
        foreach (var entry in index.FindByExercise(exerciseId))
        {
            if (Verify(entry) is { } media)
            {
                found.Add(media);
            }
        }

        return found;
    }

    /// <summary>
    /// The open, for the read path: run once on the thread pool and shared, so the first lookups of a screen (on its UI
    /// thread, or many on the pool) wait for it without holding a thread. An open after a crash checks every file
    /// (and hashes the unflushed ones), which can take seconds. A failed open is tried again by the next read, as
    /// <see cref="Open"/> is.
    /// </summary>
    private Task<MediaIndex> OpenForReadAsync() => SharedOpen(onThisThread: false);

    /// <summary>
    /// Opens the cache on the calling thread, as the shared open that reads wait for, unless an open has started; the host's
    /// start calls it on the pool (<see cref="CacheWarmUp"/>), so a first screen finds the cache open. A failure is left to
    /// the next read, which tries again.
    /// </summary>
    /// <returns>The open: completed, unless another thread's is under way.</returns>
    internal Task<MediaIndex> OpenAhead() => SharedOpen(onThisThread: true);

    private Task<MediaIndex> SharedOpen(bool onThisThread)
    {
        while (true)
        {
            var opening = Volatile.Read(ref _opening);
            if (opening is { IsFaulted: false, IsCanceled: false })
            {
                return opening;
            }

            var next = new Task<MediaIndex>(Open);
            if (Interlocked.CompareExchange(ref _opening, next, opening) == opening)
            {
                if (onThisThread)
                {
                    next.RunSynchronously(TaskScheduler.Default);
                }
                else
                {
                    next.Start(TaskScheduler.Default);
                }

                return next;
            }
        }
    }

    private CachedMedia? TryGet(MediaKey key, bool recordAccess)
    {
        var media = Index.Find(key) is { } entry ? Verify(entry) : null;
        if (recordAccess)
        {
            // Only uses count: internal looks (revalidation, commits) are not hits or misses.
            _telemetry.Lookup(key.Kind, hit: media is not null);
            if (media is not null && _accessTimes.Record(key))
            {
                ThreadPool.UnsafeQueueUserWorkItem(static cache => cache.FlushAccessInBackground(), this, preferLocal: false);
            }
        }

        return media;
    }

    /// <summary>
    /// The entry as <see cref="CachedMedia"/> when its file is there at its size; otherwise <see langword="null"/> at once,
    /// and the row is dropped in the background.
    /// </summary>
    private CachedMedia? Verify(IndexEntry entry)
    {
        string path;
        try
        {
            path = _paths.Resolve(entry.RelativePath);
            var file = _fileSystem.FileInfo.New(path);
            if (file.Exists && file.Length == entry.Size)
            {
                return entry.ToCachedMedia(path);
            }
        }
        catch (MediaCacheException)
        {
            // A row pointing outside the root (a tampered index) is dropped like a missing file.
        }

        _brokenRows.Queue(entry);
        return null;
    }

    private void FlushAccessInBackground()
    {
        try
        {
            WhileOpen(_flushAccess); // Dispose flushes what is left.
        }
        catch (SqliteException ex)
        {
            // The times went back to the pending set and are written with the next batch; a lasting failure of
            // the index shows in the next write that reports it (a download, a trim, the close).
            Log.AccessTimesNotWritten(_logger, ex);
        }
        finally
        {
            _accessTimes.FlushEnded();
        }
    }

    /// <summary>
    /// Runs a background write on the index under the open gate, unless the cache is closed (or not open yet): it never
    /// writes to an index that <see cref="Dispose()"/> closed.
    /// </summary>
    private void WhileOpen(Action<MediaIndex> write)
    {
        lock (_openGate)
        {
            if (!_disposed && _index is { } index)
            {
                write(index);
            }
        }
    }
}
