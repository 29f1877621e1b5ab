namespace OfflineMedia.Cache.Internal;

/// <summary>
/// Commits downloads, and takes leases on downloads about to start, in groups: what comes while a group is being written
/// (or while the mutation lock is held by a trim) waits in a queue, and the next group takes it all, under the mutation
/// lock, in one write transaction of the index. One writer at a time runs on the thread pool, as long as anything is
/// queued. A transaction's fixed cost (its locks, the WAL frames of the same few pages) is paid once a group rather than
/// once a file, and twice a file before (a lease, then a commit); each file is still reported cached only once its
/// group's transaction has committed, and a download starts only once its lease has.
/// </summary>
/// <param name="mutation">The cache's mutation lock, held across each group.</param>
/// <param name="writeLocked">Writes a group under the mutation lock and completes each of its tasks.</param>
internal sealed class CommitQueue(SemaphoreSlim mutation, Action<IReadOnlyList<PendingLease>, IReadOnlyList<PendingCommit>> writeLocked)
{
    private readonly object _gate = new();
    private List<PendingLease> _leases = [];
    private List<PendingCommit> _pending = [];
    private bool _committing;

    /// <summary>Queues <paramref name="commit"/> for the next group; its task completes once that group is committed.</summary>
    public Task<CachedMedia> CommitAsync(PendingCommit commit)
    {
        lock (_gate)
        {
            _pending.Add(commit);
            if (!Start())
            {
                return commit.Completion.Task;
            }
        }

        Run();
        return commit.Completion.Task;
    }

    /// <summary>Queues a lease on <paramref name="key"/> for the next group (see <see cref="MediaIndex.Commit"/>).</summary>
    /// <returns>The live instance that holds the lease, or <see langword="null"/> when this instance holds it now.</returns>
    public Task<string?> LeaseAsync(MediaKey key)
    {
        var lease = new PendingLease(key);
        lock (_gate)
        {
            _leases.Add(lease);
            if (!Start())
            {
                return lease.Completion.Task;
            }
        }

        Run();
        return lease.Completion.Task;
    }

    /// <summary>Under the gate: whether a writer must start (none runs).</summary>
    private bool Start() => !_committing && (_committing = true);

    // On the pool, not on this download's thread: the writer may go on with the groups of others, and what comes while
    // it is queued joins its first group (written on this thread at once, groups were smaller and a sync slower).
    private void Run() => ThreadPool.UnsafeQueueUserWorkItem(static queue => _ = queue.WriteAllAsync(), this, preferLocal: false);

    private async Task WriteAllAsync()
    {
        while (true)
        {
            await mutation.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                List<PendingLease> leases;
                List<PendingCommit> commits;
                lock (_gate)
                {
                    // Taken once the lock is held: what came while it was awaited joins this group.
                    (leases, _leases) = (_leases, []);
                    (commits, _pending) = (_pending, []);
                }

                Write(leases, commits);
            }
            finally
            {
                mutation.Release();
            }

            lock (_gate)
            {
                if (_pending.Count == 0 && _leases.Count == 0)
                {
                    _committing = false;
                    return;
                }
            }
        }
    }

    private void Write(List<PendingLease> leases, List<PendingCommit> commits)
    {
        try
        {
            writeLocked(leases, commits);
        }
        catch (Exception ex)
        {
            // The transaction failed (or the index could not be opened): all of the group not settled yet fails with it.
            leases.ForEach(lease => lease.Completion.TrySetException(ex));
            commits.ForEach(commit => commit.Completion.TrySetException(ex));
        }
    }
}
