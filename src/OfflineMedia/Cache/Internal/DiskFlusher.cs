using System.Collections.Concurrent;
using System.IO.Abstractions;

namespace OfflineMedia.Cache.Internal;

/// <summary>
/// Flushes committed media files to disk on threads of its own, after their commit: a download is served as soon as it
/// is verified, moved into place and indexed, and the index records it as unflushed until this has flushed it (see
/// <c>readme.md</c>, "Durability").
/// </summary>
/// <remarks>
/// Each file is flushed <see cref="Delay"/> after its commit, so a burst of downloads (a sync) is not asked to share the
/// disk with the flushes of its own first files: at loopback speed, flushing right after each commit took a 64-file sync
/// down to 0.87–0.95× the throughput of plain streams into files. A crash of the machine leaves only about the last
/// second of files to check on open.
/// Not on the pool: an fsync blocks for milliseconds, and several at once held up the continuations downloads wait for.
/// Flushed files are reported in batches, when the queue runs dry or every <see cref="BatchSize"/> files, so the index
/// forgets them in one transaction per burst rather than one per file. <see cref="Dispose"/> flushes what is left at once.
/// </remarks>
/// <param name="fileSystem">The file system the files are on.</param>
/// <param name="time">The clock of the delay.</param>
/// <param name="flushed">Told of files now on disk, or gone (evicted before their flush).</param>
/// <param name="failed">Told of a file that could not be flushed, which the index keeps recorded as unflushed.</param>
internal sealed class DiskFlusher(IFileSystem fileSystem, TimeProvider time, Action<IReadOnlyList<CommittedFile>> flushed, Action<CommittedFile, Exception> failed)
    : IDisposable
{
    /// <summary>How long after its commit a file is flushed.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    private const int ThreadCount = 2;
    private const int BatchSize = 64;

    private readonly BlockingCollection<(CommittedFile File, long CommittedAt)> _queue = [];
    private readonly CancellationTokenSource _closing = new();
    private readonly object _gate = new();
    private Thread[]? _threads;
    private bool _disposed;

    /// <summary>Queues a file just committed, to be flushed.</summary>
    public void Enqueue(CommittedFile file)
    {
        // Under the lock Dispose takes, so no thread starts that Dispose would not join.
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _threads ??= StartThreads();
            _queue.Add((file, time.GetTimestamp()));
        }
    }

    /// <summary>Flushes what is queued, without waiting for its delay, reports it, and stops the threads.</summary>
    public void Dispose()
    {
        Thread[]? threads;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _closing.Cancel();
            _queue.CompleteAdding();
            threads = _threads;
        }

        foreach (var thread in threads ?? [])
        {
            thread.Join();
        }

        _queue.Dispose();
        _closing.Dispose();
    }

    private Thread[] StartThreads()
    {
        var threads = new Thread[ThreadCount];
        for (var i = 0; i < threads.Length; i++)
        {
            threads[i] = new Thread(Run) { IsBackground = true, Name = "OfflineMedia disk flush" };
            threads[i].Start();
        }

        return threads;
    }

    private void Run()
    {
        var done = new List<CommittedFile>();
        foreach (var (file, committedAt) in _queue.GetConsumingEnumerable())
        {
            WaitUntilDue(committedAt);
            if (TryFlush(file))
            {
                done.Add(file);
            }

            if (done.Count > 0 && (done.Count >= BatchSize || _queue.Count == 0))
            {
                flushed(done);
                done = [];
            }
        }

        if (done.Count > 0)
        {
            flushed(done);
        }
    }

    private void WaitUntilDue(long committedAt)
    {
        var wait = Delay - time.GetElapsedTime(committedAt);
        if (wait <= TimeSpan.Zero || _closing.IsCancellationRequested)
        {
            return;
        }

        try
        {
            // A thread of its own: blocking it is what it is for.
            Task.Delay(wait, time, _closing.Token).Wait();
        }
        catch (AggregateException ex) when (ex.InnerException is OperationCanceledException)
        {
            // Closing: flush now.
        }
    }

    private bool TryFlush(CommittedFile committed)
    {
        try
        {
            // Opened again for writing: .NET flushes to disk only through a handle that can write. Readers and deletes
            // are not locked out.
            using var file = fileSystem.FileStream.New(committed.Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            file.Flush(flushToDisk: true);
            return true;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return true; // Evicted or removed before its flush: nothing of it is left to be lost.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failed(committed, ex);
            return false;
        }
    }
}
