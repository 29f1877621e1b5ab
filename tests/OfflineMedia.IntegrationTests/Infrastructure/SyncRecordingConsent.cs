using System.Collections.Concurrent;
using OfflineMedia.Sync;

namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>A data-usage prompt that answers <paramref name="answer"/> and records what it was asked.</summary>
public sealed class SyncRecordingConsent(bool answer) : IDataUsageConsent
{
    private readonly ConcurrentQueue<DataUsageRequest> _requests = new();

    public IReadOnlyList<DataUsageRequest> Requests => [.. _requests];

    public ValueTask<bool> ConfirmAsync(DataUsageRequest request, CancellationToken cancellationToken = default)
    {
        _requests.Enqueue(request);
        return ValueTask.FromResult(answer);
    }
}
