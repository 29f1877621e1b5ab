using System.Collections.Concurrent;

namespace OfflineMedia.Cache.Internal;

/// <summary>
/// Wakes the readers of a file being downloaded in this process as soon as more of it is on disk, instead of at their
/// next poll (a stream that plays while the file downloads; its writer in another process is still polled for). A write
/// that nobody waits for costs one dictionary lookup.
/// </summary>
internal sealed class WriteSignals
{
    private readonly ConcurrentDictionary<MediaKey, TaskCompletionSource> _waiting = new();

    /// <summary>A task that completes at the next write to <paramref name="key"/>'s file. Take it before looking at the file.</summary>
    public Task Next(MediaKey key) =>
        _waiting.GetOrAdd(key, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>More of <paramref name="key"/>'s file is on disk (or its download ended).</summary>
    public void Written(MediaKey key)
    {
        if (_waiting.TryRemove(key, out var waiting))
        {
            waiting.TrySetResult();
        }
    }
}
