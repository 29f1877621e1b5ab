using System.Collections.Concurrent;

namespace OfflineMedia.Cache.Internal;

/// <summary>
/// The access times of hits, kept in memory and written to the index in batches (256 keys, or 30 seconds after the last
/// batch): a hit never waits for a write (a batch of 256 scattered rows, and the checkpoint its commit may run, takes
/// milliseconds). The owner writes a batch on the thread pool when <see cref="Record"/> says one is due, and before a
/// trim and on close.
/// </summary>
internal sealed class AccessTimes
{
    internal const int BatchSize = 256;
    internal static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<MediaKey, long> _pending = new();
    private readonly object _flushGate = new();
    private readonly TimeProvider _time;
    private long _lastFlush;
    private int _flushQueued;

    public AccessTimes(TimeProvider time)
    {
        _time = time;
        _lastFlush = time.GetTimestamp();
    }

    /// <summary>How many keys wait to be written.</summary>
    public int Pending => _pending.Count;

    /// <summary>Records a use of <paramref name="key"/> now.</summary>
    /// <returns>
    /// <see langword="true"/> when a batch is due and no write of one is queued: the caller queues one, and calls
    /// <see cref="FlushEnded"/> once it ran. Only one caller gets <see langword="true"/> until then.
    /// </returns>
    public bool Record(MediaKey key)
    {
        _pending[key] = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if ((_pending.Count >= BatchSize || _time.GetElapsedTime(Interlocked.Read(ref _lastFlush)) >= FlushInterval)
            && Interlocked.Exchange(ref _flushQueued, 1) == 0)
        {
            Interlocked.Exchange(ref _lastFlush, _time.GetTimestamp());
            return true;
        }

        return false;
    }

    /// <summary>The queued write ran (or found the cache closed): the next due batch queues another.</summary>
    public void FlushEnded() => Volatile.Write(ref _flushQueued, 0);

    /// <summary>
    /// Writes the pending access times. One flush at a time, so a trim that flushes first sees every earlier access. If the
    /// write fails, the times go back to the pending set (keeping the later of two) for the next batch, and it throws.
    /// </summary>
    public void Flush(MediaIndex index)
    {
        lock (_flushGate)
        {
            Interlocked.Exchange(ref _lastFlush, _time.GetTimestamp());
            var batch = new List<KeyValuePair<MediaKey, long>>(_pending.Count);
            foreach (var key in _pending.Keys)
            {
                if (_pending.TryRemove(key, out var time))
                {
                    batch.Add(new(key, time));
                }
            }

            try
            {
                index.Touch(batch);
            }
            catch
            {
                foreach (var (key, time) in batch)
                {
                    _pending.AddOrUpdate(key, time, (_, pending) => Math.Max(pending, time));
                }

                throw;
            }
        }
    }
}
