namespace OfflineMedia.Cache.Internal;

/// <summary>
/// Commits downloads in groups: the files that finish while a group is being committed (or while the mutation lock is
/// held by a trim) wait in a queue, and the next group takes them all, under the mutation lock, in one write transaction of
/// the index. One committer at a time runs on the thread pool, as long as files are queued. A transaction's fixed cost (its
/// locks, the WAL frames of the same few pages) is paid once a group rather than once a file; each file is still reported
/// cached only once its group's transaction has committed.
/// </summary>
/// <param name="mutation">The cache's mutation lock, held across each group.</param>
/// <param name="commitLocked">Commits a group under the mutation lock and completes each of its tasks.</param>
internal sealed class CommitQueue(SemaphoreSlim mutation, Action<IReadOnlyList<PendingCommit>> commitLocked)
{
    private readonly object _gate = new();
    private List<PendingCommit> _pending = [];
    private bool _committing;

    /// <summary>Queues <paramref name="commit"/> for the next group; its task completes once that group is committed.</summary>
    public Task<CachedMedia> CommitAsync(PendingCommit commit)
    {
        lock (_gate)
        {
            _pending.Add(commit);
            if (_committing)
            {
                return commit.Completion.Task;
            }

            _committing = true;
        }

        // On the pool, not on this download's thread: the committer may go on with the groups of others.
        ThreadPool.UnsafeQueueUserWorkItem(static queue => _ = queue.CommitAllAsync(), this, preferLocal: false);
        return commit.Completion.Task;
    }

    private async Task CommitAllAsync()
    {
        while (true)
        {
            await mutation.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                List<PendingCommit> group;
                lock (_gate)
                {
                    // Taken once the lock is held: the files that finished while it was awaited join this group.
                    (group, _pending) = (_pending, []);
                }

                Commit(group);
            }
            finally
            {
                mutation.Release();
            }

            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _committing = false;
                    return;
                }
            }
        }
    }

    private void Commit(List<PendingCommit> group)
    {
        try
        {
            commitLocked(group);
        }
        catch (Exception ex)
        {
            // The transaction failed (or the index could not be opened): every file of the group not settled yet fails with it.
            foreach (var commit in group)
            {
                commit.Completion.TrySetException(ex);
            }
        }
    }
}
