namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>A progress sink that reports synchronously, keeps the highest value and signals the first report.</summary>
public sealed class RecordingProgress : IProgress<long>
{
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _highest = -1;

    public long Highest => Interlocked.Read(ref _highest);

    public Task FirstReport => _first.Task;

    public void Report(long value)
    {
        long seen;
        while ((seen = Interlocked.Read(ref _highest)) < value && Interlocked.CompareExchange(ref _highest, value, seen) != seen)
        {
        }

        _first.TrySetResult();
    }
}
