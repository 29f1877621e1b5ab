using OfflineMedia.Cache;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// Adds up a sync's progress consistently: a file in flight counts at most its estimate until it
/// finishes, when the total settles to its real size, so done never passes total; done values never
/// go back, even when a download restarts. Reports go out under a lock, in order, at most every
/// 100 ms while bytes flow and always when a file finishes or the sync pauses. Files may be added, and may
/// finish, before <see cref="Start"/> (downloads that start while the plan is still read): nothing is
/// reported before it, so every report has the sync's final totals.
/// </summary>
internal sealed class ProgressTracker
{
    private static readonly TimeSpan s_reportInterval = TimeSpan.FromMilliseconds(100);

    private readonly IProgress<SyncProgress>? _progress;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly object _gate = new();
    private readonly Dictionary<MediaKey, (long Estimate, long Received)> _inFlight = [];
    private int _filesTotal;
    private long _bytesTotal;
    private long _bytesFinished;
    private long _lastDone;
    private int _filesDone;
    private long _lastReport;
    private MediaKey? _current;
    private bool _paused;
    private bool _reporting;

    public ProgressTracker(IProgress<SyncProgress>? progress, TimeProvider time, IReadOnlyCollection<PlannedItem> downloads)
    {
        _progress = progress;
        _time = time;
        _started = time.GetTimestamp();
        _lastReport = _started;
        Add(downloads);
    }

    /// <summary>Gets a progress sink for one file's received bytes.</summary>
    public IProgress<long> For(PlannedItem item) => new ItemProgress(this, item);

    /// <summary>Counts <paramref name="downloads"/> in; before <see cref="Start"/>, as the totals are not reported until then.</summary>
    public void Add(IReadOnlyCollection<PlannedItem> downloads)
    {
        lock (_gate)
        {
            _filesTotal += downloads.Count;
            _bytesTotal += downloads.Sum(d => d.EstimatedBytes);
        }
    }

    /// <summary>Sends the first report, with the totals final, and every one after it.</summary>
    public void Start()
    {
        lock (_gate)
        {
            _reporting = true;
            Report(force: true);
        }
    }

    /// <summary>A file is done: downloaded (<paramref name="actualBytes"/> set), or failed or left out.</summary>
    public void Finished(PlannedItem item, long? actualBytes)
    {
        lock (_gate)
        {
            var counted = _inFlight.Remove(item.Key, out var flight) ? Math.Min(flight.Received, item.EstimatedBytes) : 0;
            if (actualBytes is { } actual)
            {
                _bytesTotal += actual - item.EstimatedBytes;
                _bytesFinished += actual;
            }
            else
            {
                // What it received stays counted; the rest of its estimate leaves the total.
                _bytesTotal -= item.EstimatedBytes - counted;
                _bytesFinished += counted;
            }

            _filesDone++;
            Report(force: true);
        }
    }

    public void SetPaused(bool paused)
    {
        lock (_gate)
        {
            if (_paused != paused)
            {
                _paused = paused;
                Report(force: true);
            }
        }
    }

    private void Received(PlannedItem item, long bytes)
    {
        lock (_gate)
        {
            var received = _inFlight.TryGetValue(item.Key, out var flight) ? Math.Max(flight.Received, bytes) : bytes;
            _inFlight[item.Key] = (item.EstimatedBytes, received);
            _current = item.Key;
            Report(force: false);
        }
    }

    private void Report(bool force)
    {
        if (_progress is null || !_reporting)
        {
            return;
        }

        var now = _time.GetTimestamp();
        if (!force && _time.GetElapsedTime(_lastReport, now) < s_reportInterval)
        {
            return;
        }

        _lastReport = now;
        var done = _bytesFinished;
        foreach (var flight in _inFlight.Values)
        {
            done += Math.Min(flight.Received, flight.Estimate);
        }

        _lastDone = Math.Max(_lastDone, done);
        var seconds = _time.GetElapsedTime(_started, now).TotalSeconds;
        _progress.Report(new SyncProgress
        {
            FilesDone = _filesDone,
            FilesTotal = _filesTotal,
            BytesDone = _lastDone,
            BytesTotal = Math.Max(_bytesTotal, _lastDone),
            Current = _current,
            BytesPerSecond = seconds > 0 ? _lastDone / seconds : 0,
            IsPaused = _paused,
        });
    }

    private sealed class ItemProgress(ProgressTracker tracker, PlannedItem item) : IProgress<long>
    {
        public void Report(long value) => tracker.Received(item, value);
    }
}
