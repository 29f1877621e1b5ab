using Microsoft.Extensions.Time.Testing;
using OfflineMedia.Cache;
using OfflineMedia.Sync;
using OfflineMedia.Sync.Internal;
using OfflineMedia.Variants;

namespace OfflineMedia.Tests.Sync;

public sealed class ProgressTrackerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
    private readonly List<SyncProgress> _reports = [];

    [Fact]
    public void Start_SeveralFiles_ReportsNothingDoneOfTheEstimatedTotal()
    {
        var tracker = Tracker(out _, 1_000, 2_000, 500);

        tracker.Start();

        var report = Assert.Single(_reports);
        Assert.Equal(0, report.FilesDone);
        Assert.Equal(3, report.FilesTotal);
        Assert.Equal(0, report.BytesDone);
        Assert.Equal(3_500, report.BytesTotal);
        Assert.False(report.IsPaused);
        Assert.Null(report.Current);
        Assert.Equal(0, report.BytesPerSecond);
    }

    [Fact]
    public void Received_WithinTheReportInterval_IsThrottledThenReportedOnceTheIntervalPassed()
    {
        var tracker = Tracker(out var items, 10_000);
        tracker.Start();
        var sink = tracker.For(items[0]);

        sink.Report(1_000);
        sink.Report(2_000);
        Assert.Single(_reports);

        _time.Advance(TimeSpan.FromMilliseconds(100));
        sink.Report(3_000);

        Assert.Equal(2, _reports.Count);
        Assert.Equal(3_000, _reports[^1].BytesDone);
        Assert.Equal(items[0].Key, _reports[^1].Current);
        Assert.Equal(30_000, _reports[^1].BytesPerSecond);
    }

    [Fact]
    public void Received_MoreThanTheEstimateInFlight_CountsAtMostTheEstimateUntilFinished()
    {
        var tracker = Tracker(out var items, 1_000, 5_000);
        tracker.Start();

        _time.Advance(TimeSpan.FromSeconds(1));
        tracker.For(items[0]).Report(4_000);

        Assert.Equal(1_000, _reports[^1].BytesDone);
        Assert.Equal(6_000, _reports[^1].BytesTotal);

        tracker.Finished(items[0], 4_000);

        Assert.Equal(4_000, _reports[^1].BytesDone);
        Assert.Equal(9_000, _reports[^1].BytesTotal); // Settled to the real size.
        Assert.Equal(1, _reports[^1].FilesDone);
    }

    [Fact]
    public void Finished_SmallerThanTheEstimate_TheTotalSettlesDown()
    {
        var tracker = Tracker(out var items, 10_000, 10_000);
        tracker.Start();

        tracker.Finished(items[0], 100);
        tracker.Finished(items[1], 200);

        Assert.Equal(new[] { 20_000L, 10_100, 300 }, _reports.Select(r => r.BytesTotal));
        Assert.Equal(300, _reports[^1].BytesDone);
        Assert.Equal(2, _reports[^1].FilesDone);
    }

    [Fact]
    public void Received_ADownloadStartsOverWithFewerBytes_DoneNeverGoesBack()
    {
        var tracker = Tracker(out var items, 10_000);
        tracker.Start();
        var sink = tracker.For(items[0]);

        _time.Advance(TimeSpan.FromSeconds(1));
        sink.Report(6_000);
        _time.Advance(TimeSpan.FromSeconds(1));
        sink.Report(500);

        Assert.Equal(6_000, _reports[^1].BytesDone);
        Assert.All(_reports.Zip(_reports.Skip(1)), pair => Assert.True(pair.Second.BytesDone >= pair.First.BytesDone));
    }

    [Fact]
    public void Finished_FailedAfterReceivingSome_KeepsWhatCameAndDropsTheRestOfItsEstimate()
    {
        var tracker = Tracker(out var items, 10_000, 1_000);
        tracker.Start();
        _time.Advance(TimeSpan.FromSeconds(1));
        tracker.For(items[0]).Report(4_000);

        tracker.Finished(items[0], null);
        tracker.Finished(items[1], 1_000);

        var last = _reports[^1];
        Assert.Equal(2, last.FilesDone);
        Assert.Equal(5_000, last.BytesDone);
        Assert.Equal(5_000, last.BytesTotal);
    }

    [Fact]
    public void Finished_FailedBeforeAnyByte_LeavesTheTotal()
    {
        var tracker = Tracker(out var items, 10_000, 1_000);
        tracker.Start();

        tracker.Finished(items[0], null);

        Assert.Equal(1, _reports[^1].FilesDone);
        Assert.Equal(0, _reports[^1].BytesDone);
        Assert.Equal(1_000, _reports[^1].BytesTotal);
    }

    [Fact]
    public void SetPaused_Toggled_ReportsEachChangeOnce()
    {
        var tracker = Tracker(out _, 1_000);
        tracker.Start();

        tracker.SetPaused(true);
        tracker.SetPaused(true);
        tracker.SetPaused(false);

        Assert.Equal([false, true, false], _reports.Select(r => r.IsPaused));
    }

    [Fact]
    public void AnyCall_WithoutAProgressSink_DoesNothing()
    {
        var items = Items(1_000);
        var tracker = new ProgressTracker(null, _time, items);

        tracker.Start();
        tracker.For(items[0]).Report(500);
        tracker.SetPaused(true);
        tracker.Finished(items[0], 900);

        Assert.Empty(_reports);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    public void AnySequence_OfReceivesRestartsAndFinishes_StaysMonotonicBoundedAndSettles(int seed)
    {
        var random = new Random(seed);
        var estimates = Enumerable.Range(0, 12).Select(_ => (long)random.Next(1, 50_000)).ToArray();
        var tracker = Tracker(out var items, estimates);
        tracker.Start();
        var received = new long[items.Count];
        var actual = items.Select(_ => (long)random.Next(1, 80_000)).ToArray();
        var finished = new bool[items.Count];
        var downloaded = 0L;

        while (finished.Contains(false))
        {
            var i = random.Next(items.Count);
            if (finished[i])
            {
                continue;
            }

            _time.Advance(TimeSpan.FromMilliseconds(random.Next(0, 150)));
            switch (random.Next(10))
            {
                case 0:
                    tracker.Finished(items[i], null);
                    finished[i] = true;
                    break;
                case 1:
                    tracker.Finished(items[i], actual[i]);
                    downloaded += actual[i];
                    finished[i] = true;
                    break;
                case 2:
                    received[i] = random.Next(0, (int)Math.Max(1, received[i])); // A restart.
                    tracker.For(items[i]).Report(received[i]);
                    break;
                default:
                    received[i] = Math.Min(actual[i], received[i] + random.Next(1, 20_000));
                    tracker.For(items[i]).Report(received[i]);
                    break;
            }
        }

        for (var r = 0; r < _reports.Count; r++)
        {
            Assert.True(_reports[r].BytesDone <= _reports[r].BytesTotal, $"report {r}");
            Assert.True(_reports[r].FilesDone <= _reports[r].FilesTotal, $"report {r}");
            if (r > 0)
            {
                Assert.True(_reports[r].BytesDone >= _reports[r - 1].BytesDone, $"report {r}: bytes went back");
                Assert.True(_reports[r].FilesDone >= _reports[r - 1].FilesDone, $"report {r}: files went back");
            }
        }

        var last = _reports[^1];
        Assert.Equal(items.Count, last.FilesDone);
        Assert.Equal(last.BytesDone, last.BytesTotal);
        Assert.True(last.BytesDone >= downloaded);
    }

    private ProgressTracker Tracker(out List<PlannedItem> items, params long[] estimates)
    {
        items = Items(estimates);
        return new ProgressTracker(new Recorder(_reports), _time, items);
    }

    private static List<PlannedItem> Items(params long[] estimates) =>
        [.. estimates.Select((estimate, i) => new PlannedItem(new MediaKey($"e{i}", MediaKind.Image, "medium"), new MediaSource($"/m/{i}.jpg"), estimate))];

    private sealed class Recorder(List<SyncProgress> reports) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => reports.Add(value);
    }
}
