namespace OfflineMedia.Sync.Internal;

/// <summary>
/// One transfer slot, held by one try. <see cref="Release"/> is the one place it goes back, at most once: the cache
/// calls it when the body is in (so the next transfer starts while this file is moved into place and indexed), and
/// disposing calls it when the try ends.
/// </summary>
internal sealed class TransferLease(SemaphoreSlim slots) : IDisposable
{
    private SemaphoreSlim? _slots = slots;

    /// <summary>Gives the slot back; later calls do nothing. Safe on any thread.</summary>
    public void Release() => Interlocked.Exchange(ref _slots, null)?.Release();

    public void Dispose() => Release();
}
