namespace OfflineMedia.Sync.Internal;

/// <summary>The default when the app plugs in no prompt: nobody can be asked, so large cellular downloads wait for Wi-Fi.</summary>
internal sealed class DeclineDataUsageConsent : IDataUsageConsent
{
    public ValueTask<bool> ConfirmAsync(DataUsageRequest request, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);
}
