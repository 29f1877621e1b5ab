using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Sync;

/// <summary>
/// With room to spare, a file starts downloading as soon as its exercise's media info is in, not after every exercise's
/// is: one slow answer of the API does not hold up the others' files. Short of room, nothing starts before the fit.
/// </summary>
public sealed class SyncSchedulerHeadStartTests : OriginTestBase
{
    private static readonly TimeSpan s_slowInfo = TimeSpan.FromSeconds(2);

    protected override FakeMediaCatalog CreateCatalog() => new FakeMediaCatalog()
        .AddPhoneExercise("squat")
        .AddPhoneExercise("lunge")
        .AddPhoneExercise("plank")
        .AddWorkout("w-1", "Legs", DateTimeOffset.UtcNow.AddHours(2), "squat", "lunge")
        .AddWorkout("w-2", "Core", DateTimeOffset.UtcNow.AddDays(1), "plank");

    [Fact]
    public async Task SyncUpcoming_OneExercisesInfoSlow_TheOthersFilesDownloadMeanwhileAndAllAreReportedDownloaded()
    {
        Origin.Faults.Set("/api/exercises/plank/media", FakeFault.Delay(s_slowInfo));
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        var progress = new SyncProgressRecorder();

        var report = await host.Scheduler.SyncUpcomingAsync(progress);

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.Equal(SyncOrigin.PhoneKeys("squat", "lunge", "plank"), report.Items.Select(i => i.Key).ToHashSet());
        Assert.All(report.Items, i => Assert.Equal(SyncItemOutcome.Downloaded, i.Outcome));

        // Squat's and lunge's files were requested (and done) while plank's media info was still on its way.
        var plankInfoAnswered = Assert.Single(Origin.Requests.ForPath("/api/exercises/plank/media")).Timestamp + s_slowInfo;
        foreach (var key in SyncOrigin.PhoneKeys("squat", "lunge"))
        {
            var file = Assert.Single(Origin.Requests.ForPath(Origin.Catalog.VariantOf(key)));
            Assert.True(file.Timestamp < plankInfoAnswered - TimeSpan.FromSeconds(1), $"{key} was requested at {file.Timestamp:O}, plank's info answered at {plankInfoAnswered:O}");
        }

        // Progress starts once the plan is read, with the sync's totals, and counts the files done before it.
        var reports = progress.Reports;
        Assert.All(reports, p => Assert.Equal(report.Items.Count, p.FilesTotal));
        Assert.True(reports[0].FilesDone >= 6, $"the first report counted {reports[0].FilesDone} files done");
        Assert.Equal(report.Items.Count, reports[^1].FilesDone);
        Assert.Equal(report.BytesDownloaded, reports[^1].BytesDone);
        await AssertCachedWholeAsync(host, report);
    }

    [Fact]
    public async Task SyncUpcoming_OneExercisesInfoSlowOnADeviceShortOfRoom_NothingStartsBeforeEveryFilesSizeIsKnown()
    {
        // Room for everything (138 KB) in fact, but not for the variants at their typical sizes: which files to leave out
        // would be the fit's to choose, so nothing starts before it.
        Origin.Faults.Set("/api/exercises/plank/media", FakeFault.Delay(s_slowInfo));
        await using var host = new SyncHost(Root, Origin.BaseAddress, storage: new FakeStorageProbe(1_000_000));

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        var plankInfoAnswered = Assert.Single(Origin.Requests.ForPath("/api/exercises/plank/media")).Timestamp + s_slowInfo;
        var firstFile = Origin.Requests.All.Where(r => r.Path.StartsWith("/media/", StringComparison.Ordinal)).Min(r => r.Timestamp);
        Assert.True(firstFile >= plankInfoAnswered - TimeSpan.FromMilliseconds(100), $"a file was requested at {firstFile:O}, before plank's info was answered at {plankInfoAnswered:O}");
        await AssertCachedWholeAsync(host, report);
    }

    /// <summary>Every file reported downloaded is cached whole: its size and digest those the origin serves.</summary>
    private async Task AssertCachedWholeAsync(SyncHost host, SyncReport report)
    {
        foreach (var item in report.Items)
        {
            var cached = await host.Cache.TryGetAsync(item.Key);
            Assert.NotNull(cached);
            Assert.Equal(Origin.Catalog.VariantOf(item.Key).SizeBytes, new FileInfo(cached.LocalPath).Length);
            Assert.Equal(Origin.Catalog.VariantOf(item.Key).Sha256, CacheFolder.Sha256(cached.LocalPath));
        }
    }
}
