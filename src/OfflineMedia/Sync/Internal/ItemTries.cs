using Polly;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// One file's tries within a sync: the most bytes it reached (to tell a try that moved a real part of the file from
/// one that did not), the count of failed tries, how the last try ended, and what the retry policy decided.
/// </summary>
internal sealed class ItemTries(PlannedItem item, IProgress<long> progress) : IProgress<long>
{
    /// <summary>Where a file's tries ride on the retry pipeline's context.</summary>
    public static readonly ResiliencePropertyKey<ItemTries> Key = new("OfflineMedia.Sync.ItemTries");

    private long _max;
    private long _atTryStart;

    public PlannedItem Item { get; } = item;

    /// <summary>Gets the most bytes of the file received so far, resumed bytes included.</summary>
    public long Max => Interlocked.Read(ref _max);

    /// <summary>Gets the failed tries counted since the count last restarted.</summary>
    public int Failures { get; private set; }

    /// <summary>Gets the token canceled when the allowed network went away during the current try.</summary>
    public CancellationToken Lost { get; private set; }

    /// <summary>Gets how the last try ended, and what it threw.</summary>
    public (TryEnd End, Exception Error)? LastEnd { get; private set; }

    /// <summary>Gets or sets the wait the retry policy chose before the next try.</summary>
    public TimeSpan NextDelay { get; set; }

    /// <summary>Gets or sets why the file failed, when the retry policy gave up on it.</summary>
    public string? FinalReason { get; set; }

    /// <summary>
    /// Gets how far a try must get to restart the count of tries: an eighth of the file (at least 1 KiB, at most 1 MiB).
    /// A server sending a few more bytes per try never gets there, and one sending an eighth more gets eight restarts
    /// at most, so it cannot keep one file going forever; a flaky network moving real parts of a large file still finishes it.
    /// </summary>
    public long MeaningfulProgress => Math.Clamp(Item.EstimatedBytes / 8, 1024, 1024 * 1024);

    /// <summary>A try starts, on the network whose loss <paramref name="lost"/> signals.</summary>
    public void Start(CancellationToken lost)
    {
        _atTryStart = Max;
        Lost = lost;
        LastEnd = null;
    }

    /// <summary>The try ended without the file.</summary>
    public void Ended(TryEnd end, Exception error) => LastEnd = (end, error);

    /// <summary>Counts the last try as failed, first restarting the count when it moved a real part of the file; returns the count.</summary>
    public int CountFailure()
    {
        if (Max - _atTryStart >= MeaningfulProgress)
        {
            Failures = 0; // The server is not stuck: the count starts again.
        }

        return ++Failures;
    }

    public void Report(long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, value, current) != current)
        {
        }

        progress.Report(value);
    }
}
