using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Sync;

/// <summary>A canceled sync leaves a consistent cache, and the next sync downloads only what was missing, resuming partial files.</summary>
public sealed class SyncSchedulerCancellationTests : OriginTestBase
{
    private const long StallAt = 150_000;

    private FakeMediaVariant[] _stalled = null!;

    protected override FakeMediaCatalog CreateCatalog()
    {
        var catalog = new FakeMediaCatalog()
            .AddPhoneExercise("squat")
            .AddPhoneExercise("lunge", video: 500_000)
            .AddPhoneExercise("plank", form: FakeVariantForm.PlainUrl)
            .AddPhoneExercise("row", video: 500_000, form: FakeVariantForm.PlainUrl)
            .AddWorkout("w-1", "Legs", DateTimeOffset.UtcNow.AddHours(2), "squat", "lunge")
            .AddWorkout("w-2", "Core", DateTimeOffset.UtcNow.AddDays(1), "plank", "row");
        _stalled =
        [
            catalog.GetVariant("lunge", FakeMediaKind.Video, MediaVariantNames.Video720p),
            catalog.GetVariant("row", FakeMediaKind.Video, MediaVariantNames.Video720p),
        ];
        return catalog;
    }

    [Fact]
    public async Task SyncUpcoming_CanceledMidSync_LeavesOnlyCompleteFilesCachedAndTheNextSyncFetchesOnlyWhatIsMissing()
    {
        foreach (var variant in _stalled)
        {
            Origin.Faults.Set(variant, FakeFault.StallAfter(StallAt));
        }

        await using (var host = new SyncHost(Root, Origin.BaseAddress))
        {
            using var cancel = new CancellationTokenSource();
            var progress = new SyncProgressRecorder();
            var sync = host.Scheduler.SyncUpcomingAsync(progress, cancel.Token);
            await progress.WaitForAsync(p => p.FilesTotal > 0 && p.FilesDone == p.FilesTotal - 2);
            await CacheFolder.WaitUntilAsync(
                () => _stalled.All(v => Origin.Requests.ForPath(v) is [{ BodyBytesSent: StallAt }]), "both videos stall mid-body");

            // The origin may have sent its bytes before the client read the headers: cancel only once both downloads
            // have their partial files, or a download canceled before its body started would leave none.
            await CacheFolder.WaitUntilAsync(
                () => CacheFolder.PartialFiles(Root).Count(f => new FileInfo(f).Length > 0) == 2,
                "both partial files hold bytes");

            await cancel.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sync);
            await Origin.Requests.WaitIdleAsync();
            await SyncOrigin.WaitForReleasedPartialsAsync(Root);
            await AssertConsistentAsync(host.Cache, cachedCount: 10);
            Assert.Equal(2, CacheFolder.PartialFiles(Root).Length);
        }

        // An app restart: a new host on the same folder, the faults gone.
        Origin.Faults.ClearAll();
        var requestsBefore = Origin.Requests.MediaRequests().Count;
        await using (var host = new SyncHost(Root, Origin.BaseAddress))
        {
            await AssertConsistentAsync(host.Cache, cachedCount: 10);
            var report = await host.Scheduler.SyncUpcomingAsync();

            Assert.Equal(SyncOutcome.Complete, report.Outcome);
            Assert.Equal(2, report.Downloaded);
            Assert.Equal(10, report.Cached);
            Assert.Equal(_stalled.Select(v => v.ToKey()).ToHashSet(), report.Items.Where(i => i.Outcome == SyncItemOutcome.Downloaded).Select(i => i.Key).ToHashSet());
            var after = Origin.Requests.MediaRequests().Skip(requestsBefore).ToList();
            Assert.Equal(2, after.Count);
            foreach (var variant in _stalled)
            {
                var resumed = Assert.Single(after, r => r.Path == variant.Path);
                Assert.StartsWith("bytes=", resumed.Range, StringComparison.Ordinal);
                Assert.Equal(206, resumed.StatusCode);
                Assert.Equal(variant.KeptSha256(), report.Item(variant.ToKey()).Sha256);
                Assert.Equal(variant.Sha256, CacheFolder.Sha256(report.Item(variant.ToKey()).LocalPath!));
            }

            await AssertConsistentAsync(host.Cache, cachedCount: 12);
            Assert.Empty(CacheFolder.TempFiles(Root));
        }
    }

    [Fact]
    public async Task SyncUpcoming_CanceledBeforeItStarts_ThrowsAndDownloadsNothing()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.Scheduler.SyncUpcomingAsync(cancellationToken: cancel.Token));

        Assert.Empty(Origin.Requests.MediaRequests());
        var report = await host.Scheduler.SyncUpcomingAsync(); // The scheduler is usable afterwards.
        Assert.Equal(SyncOutcome.Complete, report.Outcome);
    }

    /// <summary>Every key the cache reports is a complete file of the catalog's content, and its usage is what lies on disk.</summary>
    private async Task AssertConsistentAsync(IMediaCache cache, int cachedCount)
    {
        var cached = new List<CachedMedia>();
        foreach (var key in SyncOrigin.PhoneKeys("squat", "lunge", "plank", "row"))
        {
            if (await cache.TryGetAsync(key) is { } media)
            {
                var variant = Origin.Catalog.VariantOf(key);
                Assert.True(File.Exists(media.LocalPath));
                Assert.Equal(variant.SizeBytes, media.Bytes);
                Assert.Equal(media.Bytes, new FileInfo(media.LocalPath).Length);
                Assert.Equal(variant.Sha256, CacheFolder.Sha256(media.LocalPath));
                cached.Add(media);
            }
        }

        Assert.Equal(cachedCount, cached.Count);
        var onDisk = CacheFolder.MediaFiles(Root);
        var usage = await cache.GetUsageAsync();
        Assert.Equal(onDisk.Length, usage.Count);
        Assert.Equal(onDisk.Sum(f => new FileInfo(f).Length), usage.TotalBytes);
        Assert.Equal(cached.Select(c => Path.GetFullPath(c.LocalPath)).Order(StringComparer.Ordinal), onDisk.Select(Path.GetFullPath));
    }
}
