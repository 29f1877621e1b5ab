using OfflineMedia.Sync;

namespace OfflineMedia.Sample;

/// <summary>The sample's answer to "download this much over cellular?": it says yes, and says so. An app shows a prompt here.</summary>
internal sealed class AcceptingDataUsageConsent(Action<string> say) : IDataUsageConsent
{
    public ValueTask<bool> ConfirmAsync(DataUsageRequest request, CancellationToken cancellationToken = default)
    {
        say($"Asked to download {request.EstimatedBytes / 1024.0 / 1024.0:0.0} MB ({request.Files} files) over cellular: the sample answers yes.");
        return ValueTask.FromResult(true);
    }
}
