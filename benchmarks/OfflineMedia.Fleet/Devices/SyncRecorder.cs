using System.Collections.Concurrent;

namespace OfflineMedia.Fleet.Devices;

/// <summary>The fleet's scheduler calls: how many started, how many run now, and each one's record.</summary>
internal sealed class SyncRecorder
{
    private readonly ConcurrentQueue<SyncRecord> _records = new();
    private int _started;
    private int _active;
    private int _scheduledRuns;

    public int Started => Volatile.Read(ref _started);

    public int Active => Volatile.Read(ref _active);

    /// <summary>Gets how many scheduled calls so far ran a sync (found something due).</summary>
    public int ScheduledRuns => Volatile.Read(ref _scheduledRuns);

    public void OnStart()
    {
        Interlocked.Increment(ref _started);
        Interlocked.Increment(ref _active);
    }

    public void OnEnd(SyncRecord record)
    {
        _records.Enqueue(record);
        if (record is { Scheduled: true, Report: not null })
        {
            Interlocked.Increment(ref _scheduledRuns);
        }

        Interlocked.Decrement(ref _active);
    }

    /// <summary>Returns the calls that ended since the last call.</summary>
    public IReadOnlyList<SyncRecord> Take()
    {
        var records = new List<SyncRecord>();
        while (_records.TryDequeue(out var record))
        {
            records.Add(record);
        }

        return records;
    }

    /// <summary>Waits until no call runs and none started for a moment (a timer that just fired has had time to start its call).</summary>
    public async Task SettleAsync()
    {
        int started;
        do
        {
            started = Started;
            await Task.Delay(2);
            while (Active > 0)
            {
                await Task.Delay(5);
            }
        }
        while (Started != started);
    }
}
