using OfflineMedia.Sync;

namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>
/// Keeps every <see cref="SyncProgress"/> a sync reports, on the reporting thread and in order (no
/// <see cref="Progress{T}"/> posting), and lets a test wait for a report that matches a condition.
/// </summary>
public sealed class SyncProgressRecorder : IProgress<SyncProgress>
{
    private readonly object _gate = new();
    private readonly List<SyncProgress> _reports = [];
    private readonly List<(Func<SyncProgress, bool> Predicate, TaskCompletionSource<SyncProgress> Completion)> _waiters = [];

    public IReadOnlyList<SyncProgress> Reports
    {
        get
        {
            lock (_gate)
            {
                return [.. _reports];
            }
        }
    }

    public void Report(SyncProgress value)
    {
        List<TaskCompletionSource<SyncProgress>>? ready = null;
        lock (_gate)
        {
            _reports.Add(value);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Predicate(value))
                {
                    (ready ??= []).Add(_waiters[i].Completion);
                    _waiters.RemoveAt(i);
                }
            }
        }

        ready?.ForEach(r => r.TrySetResult(value));
    }

    /// <summary>Waits (at most 15 s) for a report matching <paramref name="predicate"/>; at once if one came already.</summary>
    public Task<SyncProgress> WaitForAsync(Func<SyncProgress, bool> predicate)
    {
        lock (_gate)
        {
            if (_reports.Find(r => predicate(r)) is { } existing)
            {
                return Task.FromResult(existing);
            }

            var completion = new TaskCompletionSource<SyncProgress>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((predicate, completion));
            return completion.Task.WaitAsync(TimeSpan.FromSeconds(15));
        }
    }
}
