using OfflineMedia.Profiles;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// What one sync's transfers share, owned here and disposed with it: the network gate, the transfer slots, the pauses
/// servers asked for, the time limit, progress and the retry policy.
/// </summary>
internal sealed class FetchRun : IDisposable
{
    private readonly CancellationTokenSource _deadline;

    public FetchRun(
        IConnectivityProbe connectivity, OfflineMediaOptions options, bool explicitRequest, TimeSpan remaining, TimeProvider time,
        ProgressTracker tracker, DownloadRetry retry, HostBackoff backoff)
    {
        Options = options;
        Tracker = tracker;
        Retry = retry;
        Backoff = backoff;
        _deadline = new CancellationTokenSource(remaining, time);
        Gate = new NetworkGate(connectivity, options.Strategy, explicitRequest);
        Slots = new TransferSlots(options.MaxParallelDownloads);
    }

    public OfflineMediaOptions Options { get; }

    public ProgressTracker Tracker { get; }

    public DownloadRetry Retry { get; }

    public NetworkGate Gate { get; }

    /// <summary>Gets the pauses servers asked for with <c>Retry-After</c>, for every file of the sync on that server.</summary>
    public HostBackoff Backoff { get; }

    public TransferSlots Slots { get; }

    /// <summary>Gets the token canceled when the sync's time limit passes.</summary>
    public CancellationToken Deadline => _deadline.Token;

    /// <summary>Classifies how a try (or the wait before it) ended, the one way every part of the sync reads it.</summary>
    public TryEnd? Classify(Exception exception, CancellationToken caller, CancellationToken tryLost) =>
        TryEnds.Of(exception, caller.IsCancellationRequested, Deadline.IsCancellationRequested, tryLost.IsCancellationRequested || !Gate.IsAllowed);

    public void Dispose()
    {
        Gate.Dispose();
        Slots.Dispose();
        _deadline.Dispose();
    }
}
