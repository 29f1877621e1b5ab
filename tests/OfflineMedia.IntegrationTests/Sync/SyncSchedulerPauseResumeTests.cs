using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Sync;

/// <summary>A Wi-Fi-only sync that loses Wi-Fi pauses, keeping its partial files, and resumes them when Wi-Fi returns.</summary>
public sealed class SyncSchedulerPauseResumeTests : OriginTestBase
{
    private const long StallAt = 200_000;

    private FakeMediaVariant _big = null!;

    protected override FakeMediaCatalog CreateCatalog()
    {
        var catalog = new FakeMediaCatalog()
            .AddPhoneExercise("squat")
            .AddPhoneExercise("lunge")
            .AddPhoneExercise("plank")
            .AddPhoneExercise("deadlift", video: 600_000)
            .AddWorkout("w-1", "Legs", DateTimeOffset.UtcNow.AddHours(2), "squat", "lunge", "deadlift")
            .AddWorkout("w-2", "Core", DateTimeOffset.UtcNow.AddDays(1), "plank", "squat");
        _big = catalog.GetVariant("deadlift", FakeMediaKind.Video, MediaVariantNames.Video720p);
        return catalog;
    }

    [Fact]
    public async Task SyncUpcoming_WiFiLostMidFileThenBack_PausesAndResumesWithRangeWithoutRefetchingFinishedFiles()
    {
        Origin.Faults.Set(_big, FakeFault.StallAfter(StallAt));
        await using var host = new SyncHost(Root, Origin.BaseAddress, o => o.Strategy = SyncStrategy.WiFiOnly);
        var progress = new SyncProgressRecorder();

        var sync = host.Scheduler.SyncUpcomingAsync(progress);

        // Every other file finished; the big video is mid-body.
        await progress.WaitForAsync(p => p.FilesTotal > 0 && p.FilesDone == p.FilesTotal - 1);
        await CacheFolder.WaitUntilAsync(() => Origin.Requests.ForPath(_big) is [{ BodyBytesSent: StallAt }], "the origin stalls mid-video");
        Assert.False(sync.IsCompleted);

        host.Network.Set(FakeConnectivityProbe.Cellular);
        var paused = await progress.WaitForAsync(p => p.IsPaused);
        await Origin.Requests.WaitIdleAsync(); // The stalled response was aborted by the pause.
        await SyncOrigin.WaitForReleasedPartialsAsync(Root);
        var kept = new FileInfo(Assert.Single(CacheFolder.PartialFiles(Root))).Length;
        await Task.Delay(200);
        Assert.False(sync.IsCompleted, "a paused sync waits for its network");
        Assert.Single(Origin.Requests.ForPath(_big));

        Origin.Faults.Clear(_big);
        host.Network.Set(FakeConnectivityProbe.WiFi);
        var report = await sync.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(paused.FilesTotal - 1, paused.FilesDone);
        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.All(report.Items, i => Assert.Equal(SyncItemOutcome.Downloaded, i.Outcome));
        Assert.False(progress.Reports[^1].IsPaused);

        await Origin.Requests.WaitIdleAsync();
        foreach (var item in report.Items.Where(i => i.Key != _big.ToKey()))
        {
            Assert.Equal(1, Origin.Requests.CountRequests(Origin.Catalog.VariantOf(item.Key)));
        }

        var requests = Origin.Requests.ForPath(_big);
        Assert.Equal(2, requests.Count);
        Assert.InRange(kept, 1, StallAt);
        Assert.Equal($"bytes={kept}-", requests[1].Range);
        Assert.Equal(206, requests[1].StatusCode);
        Assert.Equal(_big.SizeBytes - kept, requests[1].BodyBytesSent);
        var big = report.Item(_big.ToKey());
        Assert.Equal(_big.Sha256, big.Sha256);
        Assert.Equal(_big.Sha256, CacheFolder.Sha256(big.LocalPath!));
        Assert.Empty(CacheFolder.TempFiles(Root));
    }

    [Fact]
    public async Task SyncUpcoming_WiFiLostAndNotBackWithinThePauseTimeout_SkipsTheRestKeepingThePartialForTheNextSync()
    {
        Origin.Faults.Set(_big, FakeFault.StallAfter(StallAt));
        await using var host = new SyncHost(Root, Origin.BaseAddress, o =>
        {
            o.Strategy = SyncStrategy.WiFiOnly;
            o.SyncPauseTimeout = TimeSpan.FromMilliseconds(300);
        });
        var progress = new SyncProgressRecorder();

        var sync = host.Scheduler.SyncUpcomingAsync(progress);
        await progress.WaitForAsync(p => p.FilesTotal > 0 && p.FilesDone == p.FilesTotal - 1);
        await CacheFolder.WaitUntilAsync(() => Origin.Requests.ForPath(_big) is [{ BodyBytesSent: StallAt }], "the origin stalls mid-video");
        host.Network.Set(FakeConnectivityProbe.Cellular);
        var report = await sync.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(SyncOutcome.Partial, report.Outcome);
        var big = report.Item(_big.ToKey());
        Assert.Equal(SyncItemOutcome.Skipped, big.Outcome);
        Assert.Contains("network did not come back", big.Reason, StringComparison.Ordinal);
        Assert.Null(await host.Cache.TryGetAsync(_big.ToKey()));
        Assert.Equal(report.Items.Count - 1, report.Downloaded);
        await Origin.Requests.WaitIdleAsync();
        await SyncOrigin.WaitForReleasedPartialsAsync(Root);
        var kept = new FileInfo(Assert.Single(CacheFolder.PartialFiles(Root))).Length;
        Assert.InRange(kept, 1, StallAt);

        // The next sync, back on Wi-Fi, resumes the partial file and leaves the rest alone.
        Origin.Faults.Clear(_big);
        host.Network.Set(FakeConnectivityProbe.WiFi);
        var next = await host.Scheduler.RunScheduledAsync();

        Assert.NotNull(next);
        Assert.Equal(SyncOutcome.Complete, next.Outcome);
        Assert.Equal(1, next.Downloaded);
        Assert.Equal(SyncItemOutcome.Downloaded, next.Item(_big.ToKey()).Outcome);
        Assert.Equal($"bytes={kept}-", Origin.Requests.ForPath(_big)[^1].Range);
        Assert.Equal(report.Items.Count + 1, Origin.Requests.MediaRequests().Count);
    }
}
