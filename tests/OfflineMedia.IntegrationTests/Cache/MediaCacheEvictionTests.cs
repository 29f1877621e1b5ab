using Microsoft.Extensions.Time.Testing;
using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Cache;

/// <summary>
/// The budget: least recently used unpinned files go first, down to 90% of the budget; pinned files stay;
/// files unused for <see cref="OfflineMediaOptions.DaysToKeepMedia"/> go even under budget.
/// </summary>
public sealed class MediaCacheEvictionTests : OriginTestBase
{
    private const long Limit = 1024 * 1024; // The smallest budget the options allow.
    private const long FileSize = 200 * 1024; // Five fit (1,024,000 bytes); a sixth does not.
    private static readonly DateTimeOffset s_far = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private CacheHost _host = null!;

    private IMediaCache Cache => _host.Cache;

    protected override FakeMediaCatalog CreateCatalog()
    {
        var catalog = new FakeMediaCatalog();
        for (var i = 1; i <= 8; i++)
        {
            catalog.AddExercise($"e{i}", $"Exercise {i}", e => e.AddImage("medium", FileSize));
        }

        catalog.AddExercise("v", "Video", e => e.AddVideo("720p", 300_000).AddVideo("poster", 50_000));
        return catalog;
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _host = NewCacheHost(Origin.BaseAddress, o =>
        {
            o.CacheSizeLimitBytes = Limit;
            o.DaysToKeepMedia = 3;
        });
    }

    [Fact]
    public async Task GetOrDownload_OverBudget_EvictsTheLeastRecentlyUsedFirst()
    {
        await DownloadAsync(1, 2, 3, 4, 5);
        await TouchAsync(1); // e2 is now the least recently used.

        await DownloadAsync(6);

        Assert.Null(await Cache.TryGetAsync(Key(2)));
        await AfterTheGracePeriodAsync();
        Assert.False(File.Exists(PathOf(2)));
        foreach (var kept in (int[])[1, 3, 4, 5, 6])
        {
            Assert.NotNull(await Cache.TryGetAsync(Key(kept)));
        }

        var usage = await Cache.GetUsageAsync();
        Assert.Equal(5 * FileSize, usage.TotalBytes);
        Assert.InRange(usage.TotalBytes, 0, Limit);
        Assert.Equal(usage.TotalBytes, CacheFolder.MediaFiles(Root).Sum(f => new FileInfo(f).Length));
    }

    [Fact]
    public async Task Trim_OverBudget_EvictsOldestFirstAndStopsAtTheLowWaterMark()
    {
        await DownloadAsync(1, 2, 3, 4, 5);
        await TouchAsync(1);

        // Within 900,000 after one eviction, but the low-water mark (810,000) takes two, and no more.
        var result = await Cache.TrimAsync(900_000);

        Assert.Equal([Key(2), Key(3)], result.Evicted);
        Assert.Equal(2, result.EvictedCount);
        Assert.Equal(2 * FileSize, result.EvictedBytes);
        Assert.Equal(3 * FileSize, result.RemainingBytes);
        Assert.Equal(900_000, result.BudgetBytes);
        Assert.True(result.WithinBudget);
        Assert.Equal(3 * FileSize, (await Cache.GetUsageAsync()).TotalBytes);
        await AfterTheGracePeriodAsync();
        Assert.Equal(3, CacheFolder.MediaFiles(Root).Length);
    }

    [Fact]
    public async Task Trim_WithinBudget_EvictsNothing()
    {
        await DownloadAsync(1, 2);

        var result = await Cache.TrimAsync(Limit);

        Assert.Equal(0, result.EvictedCount);
        Assert.Empty(result.Evicted);
        Assert.Equal(2 * FileSize, result.RemainingBytes);
    }

    [Fact]
    public async Task Trim_PinnedOldest_EvictsTheUnpinnedOnly()
    {
        await DownloadAsync(1, 2, 3, 4, 5);
        await Cache.PinAsync("w-1", [Key(1), Key(2)], s_far);

        var result = await Cache.TrimAsync(500_000);

        Assert.Equal([Key(3), Key(4), Key(5)], result.Evicted);
        Assert.Equal(2 * FileSize, result.RemainingBytes);
        Assert.True(result.WithinBudget);
        Assert.NotNull(await Cache.TryGetAsync(Key(1)));
        Assert.NotNull(await Cache.TryGetAsync(Key(2)));
        Assert.Equal(s_far, (await Cache.TryGetAsync(Key(1)))!.PinnedUntil);
    }

    [Fact]
    public async Task GetOrDownload_OldestIsPinned_EvictsTheNextOldestInstead()
    {
        await DownloadAsync(1, 2, 3, 4, 5);
        await Cache.PinAsync("w-1", [Key(1)], s_far);

        await DownloadAsync(6);

        Assert.NotNull(await Cache.TryGetAsync(Key(1)));
        Assert.Null(await Cache.TryGetAsync(Key(2)));
    }

    [Fact]
    public async Task Unpin_OneSet_KeepsKeysThatAnotherSetPins()
    {
        await DownloadAsync(1, 2, 3);
        await Cache.PinAsync("w-1", [Key(1), Key(2)], s_far);
        await Cache.PinAsync("w-2", [Key(1)], s_far);

        await Cache.UnpinAsync("w-1");
        var result = await Cache.TrimAsync(300_000);

        Assert.Equal([Key(2), Key(3)], result.Evicted);
        Assert.NotNull(await Cache.TryGetAsync(Key(1)));
        Assert.Equal(FileSize, (await Cache.GetUsageAsync()).PinnedBytes);
    }

    [Fact]
    public async Task Unpin_SomeKeysOfASet_KeepsTheRestOfTheSetPinned()
    {
        await DownloadAsync(1, 2);
        await Cache.PinAsync("w-1", [Key(1), Key(2)], s_far);

        await Cache.UnpinAsync("w-1", [Key(1)]);
        var result = await Cache.TrimAsync(100_000);

        Assert.Equal([Key(1)], result.Evicted);
        Assert.NotNull(await Cache.TryGetAsync(Key(2)));
    }

    [Fact]
    public async Task Trim_PinnedAloneOverBudget_EvictsNothingPinnedAndReportsNotWithinBudget()
    {
        await DownloadAsync(1, 2, 3, 4, 5);
        await Cache.PinAsync("w-1", [.. Enumerable.Range(1, 5).Select(Key)], s_far);

        var result = await Cache.TrimAsync(500_000);

        Assert.Equal(0, result.EvictedCount);
        Assert.Equal(5 * FileSize, result.RemainingBytes);
        Assert.False(result.WithinBudget);
        Assert.Equal(5, CacheFolder.MediaFiles(Root).Length);
        Assert.Contains(_host.Logs.GetSnapshot(), e => e.Id.Id == 14);
    }

    [Fact]
    public async Task GetOrDownload_PinnedMediaLeaveNoRoom_FailsWithInsufficientSpace()
    {
        await DownloadAsync(1, 2, 3, 4, 5);
        await Cache.PinAsync("w-1", [.. Enumerable.Range(1, 5).Select(Key)], s_far);

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => DownloadAsync(6));

        Assert.Equal(MediaCacheError.InsufficientSpace, error.Error);
        Assert.False(error.IsTransient);
        Assert.Null(await Cache.TryGetAsync(Key(6)));
        Assert.Empty(CacheFolder.TempFiles(Root));
        Assert.Equal(5, CacheFolder.MediaFiles(Root).Length);
        Assert.Equal(5 * FileSize, (await Cache.GetUsageAsync()).PinnedBytes);
    }

    [Fact]
    public async Task GetOrDownload_PinsLapsed_EvictsFormerlyPinnedMedia()
    {
        await DownloadAsync(1, 2, 3, 4, 5);
        await Cache.PinAsync("w-1", [.. Enumerable.Range(1, 5).Select(Key)], _host.Time.GetUtcNow().AddHours(1));
        _host.Time.Advance(TimeSpan.FromHours(2));

        await DownloadAsync(6);

        Assert.Null(await Cache.TryGetAsync(Key(1)));
        Assert.Equal(0, (await Cache.GetUsageAsync()).PinnedBytes);
    }

    [Fact]
    public async Task Trim_UnusedLongerThanDaysToKeep_EvictsEvenUnderBudget()
    {
        await DownloadAsync(1, 2, 3);
        await Cache.PinAsync("w-1", [Key(3)], s_far);
        _host.Time.Advance(TimeSpan.FromDays(4));
        await TouchAsync(2);

        var result = await Cache.TrimAsync(Limit);

        Assert.Equal([Key(1)], result.Evicted);
        Assert.Null(await Cache.TryGetAsync(Key(1)));
        Assert.NotNull(await Cache.TryGetAsync(Key(2)));
        Assert.NotNull(await Cache.TryGetAsync(Key(3))); // Pinned: kept however old.
    }

    [Fact]
    public async Task GetUsage_MixedKindsAndPins_ReportsBytesByKindAndPinnedBytes()
    {
        await DownloadAsync(1, 2);
        var video = Origin.Catalog.GetVariant("v", FakeMediaKind.Video, "720p");
        var poster = Origin.Catalog.GetVariant("v", FakeMediaKind.Video, "poster");
        await Cache.GetOrDownloadAsync(video.ToKey(), video.ToSource());
        await Cache.GetOrDownloadAsync(poster.ToKey(), poster.ToSource());
        await Cache.PinAsync("w-1", [video.ToKey(), Key(1), Key(7)], s_far); // e7 is not cached: it adds nothing.
        await Cache.PinAsync("w-2", [Key(2)], _host.Time.GetUtcNow().AddMinutes(5));
        _host.Time.Advance(TimeSpan.FromMinutes(10)); // The w-2 pin lapses.

        var usage = await Cache.GetUsageAsync();

        Assert.Equal(4, usage.Count);
        Assert.Equal((2 * FileSize) + 300_000 + 50_000, usage.TotalBytes);
        Assert.Equal(3, usage.ImageCount); // The poster is an image.
        Assert.Equal((2 * FileSize) + 50_000, usage.ImageBytes);
        Assert.Equal(1, usage.VideoCount);
        Assert.Equal(300_000, usage.VideoBytes);
        Assert.Equal(300_000 + FileSize, usage.PinnedBytes);
        Assert.Equal(Limit, usage.LimitBytes);
    }

    [Fact]
    public async Task Clear_KeepPinned_RemovesOnlyUnpinnedFiles()
    {
        await DownloadAsync(1, 2, 3);
        await Cache.PinAsync("w-1", [Key(2)], s_far);

        var removed = await Cache.ClearAsync(keepPinned: true);

        Assert.Equal(2, removed);
        await AfterTheGracePeriodAsync();
        Assert.Equal([PathOf(2)], CacheFolder.MediaFiles(Root));
        Assert.NotNull(await Cache.TryGetAsync(Key(2)));
        Assert.Equal(FileSize, (await Cache.GetUsageAsync()).PinnedBytes);
    }

    [Fact]
    public async Task Clear_All_RemovesPinnedFilesAndTheirPins()
    {
        await DownloadAsync(1, 2, 3);
        await Cache.PinAsync("w-1", [Key(2)], s_far);

        var removed = await Cache.ClearAsync(keepPinned: false);

        Assert.Equal(3, removed);
        await AfterTheGracePeriodAsync();
        Assert.Empty(CacheFolder.MediaFiles(Root));
        var usage = await Cache.GetUsageAsync();
        Assert.Equal(0, usage.TotalBytes);

        // The pin went with it: downloaded again, the file is not pinned.
        var again = await DownloadAsync(2);
        Assert.Null(again.PinnedUntil);
        Assert.Equal(0, (await Cache.GetUsageAsync()).PinnedBytes);
    }

    [Fact]
    public async Task Remove_CachedFile_DeletesTheFileAndTheEntryOnce()
    {
        await DownloadAsync(1, 2);
        await Cache.PinAsync("w-1", [Key(1)], s_far);

        Assert.True(await Cache.RemoveAsync(Key(1))); // Pinned or not.
        Assert.False(await Cache.RemoveAsync(Key(1)));

        // Gone from the index at once; its file stays whole for the grace period, for a reader handed its path just before.
        Assert.Null(await Cache.TryGetAsync(Key(1)));
        Assert.Equal(FileSize, new FileInfo(PathOf(1)).Length);
        _host.Time.Advance(RetiredFiles.Grace - TimeSpan.FromSeconds(1));
        Assert.True(File.Exists(PathOf(1)));
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        await CacheFolder.WaitUntilAsync(() => !File.Exists(PathOf(1)), "the file was deleted at the end of its grace period");
        Assert.Equal(FileSize, (await Cache.GetUsageAsync()).TotalBytes);
        Assert.Equal([PathOf(2)], CacheFolder.MediaFiles(Root));
    }

    [Fact]
    public async Task Open_FilesRetiredByAnInstanceThatClosedInTheirGracePeriod_AreDeletedSoonAfterTheNextOpen()
    {
        await DownloadAsync(1, 2);
        Assert.True(await Cache.RemoveAsync(Key(1)));
        var closedAt = _host.Time.GetUtcNow();
        await _host.DisposeAsync(); // Its close deletes what is due: nothing yet.
        Assert.True(File.Exists(PathOf(1)));

        // The next open is past the grace period. It leaves the deletion to the timer's thread, off the first lookup's way.
        _host = NewCacheHost(Origin.BaseAddress, o => o.CacheSizeLimitBytes = Limit, time: new FakeTimeProvider(closedAt + RetiredFiles.Grace));
        Assert.NotNull(await Cache.TryGetAsync(Key(2)));
        await CacheFolder.WaitUntilAsync(() => !File.Exists(PathOf(1)), "the retired file was deleted after the open");
        Assert.Empty(CacheFolder.RetiredFiles(Root));
        Assert.Equal([PathOf(2)], CacheFolder.MediaFiles(Root));
    }

    [Fact]
    public async Task GetOrDownload_ParallelDownloadsOvershootTheBudgetTogether_NeverEvictTheFileJustReturned()
    {
        await DownloadAsync(1, 2, 3, 4);
        await Cache.PinAsync("w-1", [.. Enumerable.Range(1, 4).Select(Key)], s_far); // 800 KiB pinned: room for one more.
        foreach (var i in (int[])[5, 6])
        {
            // Both get their headers, and both find room, before either body is done.
            Origin.Faults.Set(Origin.Catalog.GetVariant($"e{i}", FakeMediaKind.Image, "medium"), FakeFault.StallAfter(1000, TimeSpan.FromMilliseconds(300)));
        }

        var results = await Task.WhenAll(DownloadAsync(5), DownloadAsync(6));

        var usage = await Cache.GetUsageAsync();
        Assert.InRange(usage.TotalBytes, 0, Limit);
        await AfterTheGracePeriodAsync();
        var kept = Assert.Single(results, r => File.Exists(r.LocalPath));
        Assert.Equal(kept.LocalPath, (await Cache.TryGetAsync(kept.Key))?.LocalPath);
        Assert.Equal(5, usage.Count);
    }

    [Fact]
    public async Task Pin_BeforeDownload_ProtectsTheFileOnceCached()
    {
        await Cache.PinAsync("w-1", [Key(1)], s_far);
        var media = await DownloadAsync(1);
        await DownloadAsync(2, 3, 4, 5);

        await Cache.TrimAsync(100_000);

        Assert.Equal(s_far, media.PinnedUntil);
        await AfterTheGracePeriodAsync();
        Assert.Equal([PathOf(1)], CacheFolder.MediaFiles(Root));
    }

    private static MediaKey Key(int i) => new($"e{i}", MediaKind.Image, "medium");

    /// <summary>
    /// Ends the grace period of the files retired so far, and waits until they are deleted: the fake clock may run the
    /// deleting timer on the thread of another timer being set at that moment, not on this one.
    /// </summary>
    private async Task AfterTheGracePeriodAsync()
    {
        _host.Time.Advance(RetiredFiles.Grace);
        await CacheFolder.WaitUntilAsync(() => CacheFolder.RetiredFiles(Root).Count == 0, "the retired files were deleted");
    }

    private string PathOf(int i) => Path.Combine(Root, "media", "image", $"e{i}", "medium.jpg");

    /// <summary>Downloads in order, a minute apart, so access times order them.</summary>
    private async Task<CachedMedia> DownloadAsync(params int[] exercises)
    {
        CachedMedia? last = null;
        foreach (var i in exercises)
        {
            var variant = Origin.Catalog.GetVariant($"e{i}", FakeMediaKind.Image, "medium");
            last = await Cache.GetOrDownloadAsync(Key(i), variant.ToSource());
            Assert.Equal(PathOf(i), last.LocalPath);
            _host.Time.Advance(TimeSpan.FromMinutes(1));
        }

        return last!;
    }

    private async Task TouchAsync(int i)
    {
        Assert.NotNull(await Cache.TryGetAsync(Key(i)));
        _host.Time.Advance(TimeSpan.FromMinutes(1));
    }
}
