namespace OfflineMedia.Cache.Internal;

/// <summary>
/// A caller's bound on transfers at once (a sync's <c>MaxParallelDownloads</c>), handed to a download: the cache takes it
/// once it holds the download's lease and is about to send the request, and gives it back as soon as the body is in. So
/// a slot is never held while a lease is queued or waited for, while a file is moved into place and indexed, nor for a file
/// already cached.
/// </summary>
internal interface ITransferSlot
{
    /// <summary>Waits for the slot; called at most once per download, on any thread.</summary>
    ValueTask TakeAsync(CancellationToken cancellationToken);

    /// <summary>Gives the slot back: the body is in. Safe to call more than once, or without <see cref="TakeAsync"/>.</summary>
    void Release();
}
