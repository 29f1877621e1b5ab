namespace OfflineMedia.Sync.Internal;

/// <summary>
/// A sync's transfer slots: at most <c>MaxParallelDownloads</c> bodies on the network at once. A try takes a
/// <see cref="TransferLease"/> and gives it back once, when its body is in or when the try ends, whichever is first;
/// a try that waits, pauses or backs off holds none.
/// </summary>
internal sealed class TransferSlots(int count) : IDisposable
{
    private readonly SemaphoreSlim _free = new(count, count);

    /// <summary>Gets how many slots are free now.</summary>
    public int Free => _free.CurrentCount;

    /// <summary>Waits for a free slot.</summary>
    public async Task<TransferLease> TakeAsync(CancellationToken cancellationToken)
    {
        await _free.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new TransferLease(_free);
    }

    public void Dispose() => _free.Dispose();
}
