using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using OfflineMedia.Cache;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// Starts a sync's downloads while its plan is still being read: a file not cached starts as soon as its exercise's media
/// info is in, so thousands of media-info round trips do not all come before the first transfer. Only within
/// <see cref="Room"/>, what the fit could not take back: the free storage beyond the reserve and within the cache's
/// limit when the sync began, so no file started here could have been left out, or have needed the cache trimmed. The
/// first file that does not fit ends the head start; it and every file after it wait for the fit.
/// </summary>
/// <remarks>
/// <see cref="PlanFitter.OpenHeadStartAsync"/> opens it; when the user may be asked to consent to the download (a metered
/// network with data-usage warnings on), with no room, so nothing starts before the question.
/// </remarks>
internal sealed class HeadStart(IMediaCache cache, ChannelWriter<(PlannedItem Item, bool Revalidate)> transfers, ProgressTracker tracker, long room)
{
    private readonly object _gate = new();
    private readonly HashSet<MediaKey> _started = [];
    private readonly ConcurrentDictionary<MediaKey, CachedMedia> _found = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _room = room;
    private int _running;
    private bool _closed = room <= 0;

    /// <summary>Gets the bytes that may still start without the fit: what is left of the room after the files started.</summary>
    public long Room
    {
        get
        {
            lock (_gate)
            {
                return _room;
            }
        }
    }

    /// <summary>Gets whether any file was started here.</summary>
    public bool Any
    {
        get
        {
            lock (_gate)
            {
                return _started.Count > 0;
            }
        }
    }

    /// <summary>Whether <paramref name="key"/> was started here: the fit leaves it alone.</summary>
    public bool HasStarted(MediaKey key)
    {
        lock (_gate)
        {
            return _started.Contains(key);
        }
    }

    /// <summary>What the cache held for <paramref name="key"/> when it was offered, so the fit need not read it again.</summary>
    public bool TryGetFound(MediaKey key, [NotNullWhen(true)] out CachedMedia? cached) => _found.TryGetValue(key, out cached);

    /// <summary>
    /// Starts those of one exercise's <paramref name="items"/> that are not cached at all, while they fit; a cached file
    /// (current, stale or changed) is the fit's to sort out, and kept for it (<see cref="TryGetFound"/>).
    /// </summary>
    public async ValueTask OfferAsync(IReadOnlyList<PlannedItem> items, CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            if (Volatile.Read(ref _closed))
            {
                return;
            }

            try
            {
                if (await cache.TryGetAsync(item.Key, cancellationToken).ConfigureAwait(false) is { } cached)
                {
                    _found[item.Key] = cached;
                    continue;
                }
            }
            catch (MediaCacheException)
            {
                continue; // A key the cache refuses (a hostile variant name): the fit reports it.
            }

            lock (_gate)
            {
                if (_closed || item.EstimatedBytes > _room)
                {
                    _closed = true;
                    return;
                }

                _room -= item.EstimatedBytes;
                _started.Add(item.Key);
                _running++;
            }

            tracker.Add([item]);
            transfers.TryWrite((item, false));
        }
    }

    /// <summary>A file of the sync is done; one started here counts down to <see cref="DrainedAsync"/>.</summary>
    public void Finished(PlannedItem item)
    {
        lock (_gate)
        {
            if (_started.Contains(item.Key) && --_running == 0 && _closed)
            {
                _drained.TrySetResult();
            }
        }
    }

    /// <summary>The plan is read: nothing more starts here.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            if (_running == 0)
            {
                _drained.TrySetResult();
            }
        }
    }

    /// <summary>Waits until every file started here is done (after <see cref="Close"/>): then the cache counts them.</summary>
    public Task DrainedAsync(CancellationToken cancellationToken) => _drained.Task.WaitAsync(cancellationToken);
}
