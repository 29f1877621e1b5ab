using System.Threading.Channels;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// A sync's transfers, running from its start: files are added as they become known (the <see cref="HeadStart"/>'s while
/// the plan is read, the fit's after it) and fetched as they come. <see cref="CompleteAsync"/> waits for the last one;
/// <see cref="AbortAsync"/> cancels those under way, whose partial files stay for the next sync.
/// </summary>
internal sealed class TransferQueue : IDisposable
{
    private readonly Channel<(PlannedItem Item, bool Revalidate)> _files =
        Channel.CreateUnbounded<(PlannedItem Item, bool Revalidate)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly CancellationTokenSource _stop;
    private readonly Task _fetching;

    /// <summary>Starts fetching, through <paramref name="fetcher"/>, what will be added, until the caller cancels.</summary>
    public TransferQueue(ItemFetcher fetcher, FetchRun run, Action<PlannedItem, SyncItemResult> finished, CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _fetching = fetcher.RunAsync(run, _files.Reader.ReadAllAsync(_stop.Token), finished, _stop.Token);
    }

    /// <summary>Gets where files to fetch are added: downloaded, or revalidated when so marked.</summary>
    public ChannelWriter<(PlannedItem Item, bool Revalidate)> Files => _files.Writer;

    /// <summary>Nothing more comes: waits for the files added to be done (the caller's cancel ends them).</summary>
    public Task CompleteAsync()
    {
        _files.Writer.TryComplete();
        return _fetching;
    }

    /// <summary>Cancels the files under way and waits for them to stop; how they ended is not reported.</summary>
    public async Task AbortAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _files.Writer.TryComplete();
        await _fetching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => _stop.Dispose();
}
