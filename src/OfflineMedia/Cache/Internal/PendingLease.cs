namespace OfflineMedia.Cache.Internal;

/// <summary>
/// A lease on downloading <paramref name="Key"/> asked for, waiting for the next group of <see cref="CommitQueue"/>; its
/// task gives the live instance that holds the lease, or <see langword="null"/> when this instance holds it now.
/// </summary>
/// <param name="Key">The key to download.</param>
internal sealed record PendingLease(MediaKey Key)
{
    public TaskCompletionSource<string?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
