using OfflineMedia.Cache;

namespace OfflineMedia.Sync.Internal;

/// <summary>Why a try of one file ended without the file: decided once, by <see cref="TryEnds.Of"/>.</summary>
internal enum TryEnd
{
    /// <summary>The sync's caller canceled: the sync stops.</summary>
    Caller,

    /// <summary>The sync's time limit (<c>SyncTimeout</c>) passed: the file is reported failed with that reason.</summary>
    Timeout,

    /// <summary>The allowed network went away during the try: the sync pauses, and the try is not counted.</summary>
    NetworkLost,

    /// <summary>A cancellation from none of the above (an app's handler, an app's cache): counted as a failed try.</summary>
    Unexplained,

    /// <summary>The cache failed the try (<see cref="MediaCacheException"/>): counted, retried when transient.</summary>
    Fault,
}

/// <summary>The one place a try's end is classified.</summary>
internal static class TryEnds
{
    /// <summary>
    /// Classifies <paramref name="exception"/>, or <see langword="null"/> for one the sync does not handle. The caller
    /// comes first and the time limit second: either ends the file, whatever the try threw while they fired.
    /// </summary>
    /// <param name="exception">What the try (or the wait before it) threw.</param>
    /// <param name="callerCanceled">Whether the sync's caller canceled.</param>
    /// <param name="timedOut">Whether the sync's time limit passed.</param>
    /// <param name="networkLost">Whether the allowed network went away during the try, or is gone now.</param>
    public static TryEnd? Of(Exception exception, bool callerCanceled, bool timedOut, bool networkLost) => exception switch
    {
        OperationCanceledException or MediaCacheException when callerCanceled => TryEnd.Caller,
        OperationCanceledException or MediaCacheException when timedOut => TryEnd.Timeout,
        OperationCanceledException or MediaCacheException { Error: MediaCacheError.Network } when networkLost => TryEnd.NetworkLost,
        OperationCanceledException => TryEnd.Unexplained,
        MediaCacheException => TryEnd.Fault,
        _ => null,
    };
}
