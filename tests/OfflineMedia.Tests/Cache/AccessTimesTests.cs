using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;
using OfflineMedia.Variants;

namespace OfflineMedia.Tests.Cache;

public sealed class AccessTimesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("offlinemedia-access-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_780_000_000_000));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    [Fact]
    public void Record_BatchSizeReached_AsksOnceForAFlush()
    {
        var times = new AccessTimes(_time);

        var due = Enumerable.Range(0, AccessTimes.BatchSize + 1).Select(i => times.Record(Key($"e{i}"))).ToList();

        Assert.All(due.Take(AccessTimes.BatchSize - 1), Assert.False);
        Assert.True(due[AccessTimes.BatchSize - 1]);
        Assert.False(due[AccessTimes.BatchSize]); // Already queued: one write at a time.
        Assert.Equal(AccessTimes.BatchSize + 1, times.Pending);
    }

    [Fact]
    public void Record_SameKeyAgain_CountsOneKeyTowardsTheBatch()
    {
        var times = new AccessTimes(_time);

        var due = Enumerable.Range(0, AccessTimes.BatchSize * 2).Select(_ => times.Record(Key("squat"))).ToList();

        Assert.All(due, Assert.False);
        Assert.Equal(1, times.Pending);
    }

    [Fact]
    public void Record_IntervalSinceTheLastFlushElapsed_AsksForAFlushAndStartsTheIntervalAgain()
    {
        var times = new AccessTimes(_time);

        _time.Advance(AccessTimes.FlushInterval - TimeSpan.FromMilliseconds(1));
        Assert.False(times.Record(Key("squat")));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(times.Record(Key("squat")));
        Assert.False(times.Record(Key("lunge")));

        times.FlushEnded();
        Assert.False(times.Record(Key("lunge"))); // The interval counts from the flush asked for.
        _time.Advance(AccessTimes.FlushInterval);
        Assert.True(times.Record(Key("lunge")));
    }

    [Fact]
    public void Flush_WritesTheLatestTimeOfEachKeyAndRestartsTheInterval()
    {
        using var index = MediaIndex.Open(Path.Combine(_folder, "index.db"));
        index.Upsert(Entry("squat", lastAccess: 0));
        var times = new AccessTimes(_time);
        _time.Advance(AccessTimes.FlushInterval - TimeSpan.FromSeconds(1));
        times.Record(Key("squat"));
        _time.Advance(TimeSpan.FromMilliseconds(500));
        times.Record(Key("squat"));
        var latest = _time.GetUtcNow().ToUnixTimeMilliseconds();

        times.Flush(index);

        Assert.Equal(latest, index.Find(Key("squat"))!.LastAccess);
        Assert.Equal(0, times.Pending);
        _time.Advance(AccessTimes.FlushInterval - TimeSpan.FromMilliseconds(1));
        Assert.False(times.Record(Key("squat"))); // A trim's flush counts as the last batch.
    }

    [Fact]
    public void Flush_WriteFails_KeepsTheTimesForTheNextBatch()
    {
        var path = Path.Combine(_folder, "index.db");
        var index = MediaIndex.Open(path);
        index.Upsert(Entry("squat", lastAccess: 0));
        var times = new AccessTimes(_time);
        times.Record(Key("squat"));
        var recorded = _time.GetUtcNow().ToUnixTimeMilliseconds();
        index.Dispose();

        Assert.Throws<ObjectDisposedException>(() => times.Flush(index));

        Assert.Equal(1, times.Pending);
        using var reopened = MediaIndex.Open(path);
        times.Flush(reopened);
        Assert.Equal(recorded, reopened.Find(Key("squat"))!.LastAccess);
    }

    private static MediaKey Key(string id) => new(id, MediaKind.Image, "small");

    private static IndexEntry Entry(string id, long lastAccess) =>
        new(Key(id), $"media/image/{id}/small.jpg", $"https://cdn.example.com/{id}/small", 10, "image/jpeg", null, null, null, lastAccess, lastAccess);
}
