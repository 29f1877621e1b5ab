using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Sync;

/// <summary>Progress counts only what the sync downloads, never goes back, never passes its total, and ends settled on real sizes.</summary>
public sealed class SyncSchedulerProgressTests : OriginTestBase
{
    // Scale 20: 512 KB videos, so files report progress in several steps; half the variants are plain URLs,
    // whose estimates (the typical sizes) are far above the real sizes.
    protected override FakeMediaCatalog CreateCatalog() => FakeMediaCatalog.CreateWeek(DateTimeOffset.UtcNow, scale: 20);

    [Fact]
    public async Task SyncUpcoming_WeekWithADroppedConnection_ProgressIsMonotonicBoundedAndSettlesOnTheDownloadedBytes()
    {
        // One video drops mid-body once and resumes: its bytes must not be counted twice nor go back.
        var video = Origin.Catalog.GetVariant("squat", FakeMediaKind.Video, MediaVariantNames.Video720p);
        Origin.Faults.Set(video, FakeFault.DropAfter(300_000) with { Times = 1 });
        await using var host = new SyncHost(Root, Origin.BaseAddress, o => o.MaxParallelDownloads = 3);
        var progress = new SyncProgressRecorder();

        var report = await host.Scheduler.SyncUpcomingAsync(progress);

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        var reports = progress.Reports;
        // The first report comes once the plan is read, with the sync's totals: files that started while it was read and
        // are done by then are counted in it; every file after it is reported as it finishes, and bytes as they flow.
        Assert.True(reports.Count > report.Items.Count - reports[0].FilesDone, $"only {reports.Count} reports for {report.Items.Count} files");
        AssertMonotonicAndBounded(reports);
        Assert.All(reports, p => Assert.Equal(report.Items.Count, p.FilesTotal));

        var last = reports[^1];
        Assert.Equal(last.FilesTotal, last.FilesDone);
        Assert.Equal(report.BytesDownloaded, last.BytesDone);
        Assert.Equal(report.BytesDownloaded, last.BytesTotal);
        Assert.Equal(report.Items.Sum(i => Origin.Catalog.VariantOf(i.Key).SizeBytes), last.BytesDone);
        Assert.False(last.IsPaused);
        Assert.True(last.BytesPerSecond > 0);
        Assert.Contains(reports, p => p.Current is not null);
        Assert.Equal(2, Origin.Requests.CountRequests(video));
    }

    [Fact]
    public async Task SyncUpcoming_SecondSyncWithSomeFilesMissing_FilesTotalCountsOnlyTheFilesToDownload()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        var first = await host.Scheduler.SyncUpcomingAsync();
        var removed = first.Items.Take(4).ToList();
        foreach (var item in removed)
        {
            await host.Cache.RemoveAsync(item.Key);
        }

        var progress = new SyncProgressRecorder();
        var second = await host.Scheduler.SyncUpcomingAsync(progress);

        Assert.Equal(SyncOutcome.Complete, second.Outcome);
        Assert.Equal(4, second.Downloaded);
        Assert.Equal(first.Items.Count - 4, second.Cached);
        AssertMonotonicAndBounded(progress.Reports);
        var last = progress.Reports[^1];
        Assert.Equal(4, last.FilesTotal);
        Assert.Equal(4, last.FilesDone);
        Assert.Equal(removed.Sum(i => i.Bytes), last.BytesDone);
        Assert.Equal(last.BytesDone, last.BytesTotal);
    }

    [Fact]
    public async Task SyncUpcoming_AFileFails_ItIsCountedDoneAndTheTotalStillBoundsTheBytes()
    {
        var video = Origin.Catalog.GetVariant("lunge", FakeMediaKind.Video, MediaVariantNames.Video720p);
        Origin.Faults.Set(video, FakeFault.DropAfter(100_000) with { Times = 1 });
        Origin.Faults.Set(Origin.Catalog.GetVariant("plank", FakeMediaKind.Image, MediaVariantNames.Medium), FakeFault.Status(403));
        await using var host = new SyncHost(Root, Origin.BaseAddress, o => o.MaxDownloadAttempts = 1);
        var progress = new SyncProgressRecorder();

        var report = await host.Scheduler.SyncUpcomingAsync(progress);

        Assert.Equal(SyncOutcome.Partial, report.Outcome);
        Assert.Equal(2, report.Failed);
        AssertMonotonicAndBounded(progress.Reports);
        var last = progress.Reports[^1];
        Assert.Equal(last.FilesTotal, last.FilesDone);
        Assert.Equal(report.Items.Count, last.FilesTotal);

        // What the dropped video received stays counted; the rest of its estimate leaves the total.
        Assert.InRange(last.BytesDone, report.BytesDownloaded, report.BytesDownloaded + 100_000);
        Assert.Equal(last.BytesDone, last.BytesTotal);
    }

    [Fact]
    public async Task SyncUpcoming_NothingToDownload_ReportsZeroFiles()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        await host.Scheduler.SyncUpcomingAsync();
        var progress = new SyncProgressRecorder();

        var report = await host.Scheduler.SyncUpcomingAsync(progress);

        Assert.Equal(0, report.Downloaded);
        var only = Assert.Single(progress.Reports);
        Assert.Equal(0, only.FilesTotal);
        Assert.Equal(0, only.BytesTotal);
    }

    private static void AssertMonotonicAndBounded(IReadOnlyList<SyncProgress> reports)
    {
        for (var i = 0; i < reports.Count; i++)
        {
            var p = reports[i];
            Assert.True(p.BytesDone <= p.BytesTotal, $"report {i}: {p.BytesDone} done of {p.BytesTotal}");
            Assert.True(p.FilesDone <= p.FilesTotal, $"report {i}: {p.FilesDone} files of {p.FilesTotal}");
            Assert.True(p.BytesDone >= 0 && p.FilesDone >= 0);
            if (i > 0)
            {
                Assert.True(p.BytesDone >= reports[i - 1].BytesDone, $"report {i}: bytes went back from {reports[i - 1].BytesDone} to {p.BytesDone}");
                Assert.True(p.FilesDone >= reports[i - 1].FilesDone, $"report {i}: files went back from {reports[i - 1].FilesDone} to {p.FilesDone}");
                Assert.Equal(reports[0].FilesTotal, p.FilesTotal);
            }
        }
    }
}
