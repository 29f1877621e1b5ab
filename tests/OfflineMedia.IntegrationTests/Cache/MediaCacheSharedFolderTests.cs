using Microsoft.Data.Sqlite;
using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Cache;

/// <summary>
/// Two cache instances on one folder in one process (two hosts of an app, or a host and a tool): they share the folder as
/// two processes do, each aware of the other, never two writers unaware of each other. The claims about separate
/// processes are made with real child processes in the Processes folder.
/// </summary>
public sealed class MediaCacheSharedFolderTests : OriginTestBase
{
    private const long Limit = 1024 * 1024;

    protected override FakeMediaCatalog CreateCatalog()
    {
        var catalog = new FakeMediaCatalog();
        foreach (var id in (string[])["a", "b", "c", "d", "e", "f"])
        {
            catalog.AddExercise(id, id.ToUpperInvariant(), e => e.AddImage("medium", 300_000).AddVideo("720p", 400_000));
        }

        return catalog;
    }

    [Fact]
    public async Task GetOrDownload_TwoInstancesAskForTheSameFiles_TheOriginServesEachOnceAndBothGetIt()
    {
        await using var first = CreateHost();
        await using var second = CreateHost();
        var videos = (string[])["a", "b", "c"];
        foreach (var id in videos)
        {
            Origin.Faults.Set(Video(id), FakeFault.Delay(TimeSpan.FromMilliseconds(200)));
        }

        var fromFirst = videos.Select(id => first.Cache.GetOrDownloadAsync(Video(id).ToKey(), Video(id).ToSource()));
        var fromSecond = videos.Select(id => second.Cache.GetOrDownloadAsync(Video(id).ToKey(), Video(id).ToSource()));
        var results = await Task.WhenAll(fromFirst.Concat(fromSecond));

        foreach (var id in videos)
        {
            Assert.Single(await Origin.Requests.CompletedAsync(Video(id)));
            Assert.All(results.Where(r => r.Key == Video(id).ToKey()), r => Assert.Equal(Video(id).Sha256, CacheFolder.Sha256(r.LocalPath)));
        }

        Assert.Contains(first.Logs.GetSnapshot().Concat(second.Logs.GetSnapshot()), e => e.Id.Id == 260); // One waited for the other.
        Assert.Empty(CacheFolder.TempFiles(Root));
    }

    [Fact]
    public async Task GetOrDownload_LeaseOfAnInstanceThatIsGone_IsTakenOverAtOnce()
    {
        await using (var opened = CreateHost())
        {
            await opened.Cache.GetUsageAsync();
        }

        // A lease left by an instance that ended mid-download: its live file is gone with it.
        var key = Video("a").ToKey();
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = CacheFolder.IndexFile(Root), Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO leases (exercise_id, kind, variant, owner) VALUES ('a', 1, '720p', '0123456789abcdef0123456789abcdef')";
            command.ExecuteNonQuery();
        }

        await using var host = CreateHost();
        var media = await host.Cache.GetOrDownloadAsync(key, Video("a").ToSource());

        Assert.Equal(Video("a").Sha256, CacheFolder.Sha256(media.LocalPath));
        Assert.DoesNotContain(host.Logs.GetSnapshot(), e => e.Id.Id == 260);
    }

    [Fact]
    public async Task Open_WhileAnotherInstanceDownloads_KeepsItsPartialFileAndItsDownloadCompletes()
    {
        await using var downloading = CreateHost();
        Origin.Faults.Set(Video("a"), FakeFault.StallAfter(100_000, TimeSpan.FromMilliseconds(800)));
        var download = downloading.Cache.GetOrDownloadAsync(Video("a").ToKey(), Video("a").ToSource());
        await CacheFolder.WaitUntilAsync(() => CacheFolder.PartialFiles(Root).Length == 1, "the partial file of a's video");

        await using var opening = CreateHost();
        Assert.Null(await opening.Cache.TryGetAsync(Video("b").ToKey())); // Its first use opens it, beside the download.

        Assert.Single(CacheFolder.PartialFiles(Root));
        Assert.Contains(opening.Logs.GetSnapshot(), e => e.Id.Id == 261);
        var media = await download;
        Assert.Equal(Video("a").Sha256, CacheFolder.Sha256(media.LocalPath));
        Assert.Equal(media.LocalPath, (await opening.Cache.TryGetAsync(Video("a").ToKey()))?.LocalPath);
    }

    [Fact]
    public async Task GetOrDownload_TwoInstancesFillTheCache_TheBudgetHoldsForBoth()
    {
        await using var first = CreateHost(Limit);
        await using var second = CreateHost(Limit);
        await second.Cache.GetUsageAsync(); // Open before the first instance downloads anything: 0 bytes cached then.
        foreach (var id in (string[])["a", "b"])
        {
            await first.Cache.GetOrDownloadAsync(Image(id).ToKey(), Image(id).ToSource());
        }

        // A count of the second instance's own would say 600,000 bytes after these two: the index says 1,200,000.
        foreach (var id in (string[])["c", "d"])
        {
            await second.Cache.GetOrDownloadAsync(Image(id).ToKey(), Image(id).ToSource());
        }

        var usage = await first.Cache.GetUsageAsync();
        Assert.InRange(usage.TotalBytes, 0, Limit);
        Assert.Equal(usage.TotalBytes, (await second.Cache.GetUsageAsync()).TotalBytes);
        Assert.Null(await first.Cache.TryGetAsync(Image("a").ToKey())); // The least recently used went first.
    }

    [Fact]
    public async Task Dispose_TwoInstancesOpen_OnlyTheLastOneMarksTheIndexClean()
    {
        var first = CreateHost();
        await using var second = CreateHost();
        await first.Cache.GetOrDownloadAsync(Image("a").ToKey(), Image("a").ToSource());
        await second.Cache.GetUsageAsync();

        await first.DisposeAsync();
        Assert.Equal("0", CacheFolder.IndexMeta(Root, "clean")); // The second is still open: a crash of it must still be checked.
        Assert.Single(CacheFolder.LiveInstanceFiles(Root));

        await second.DisposeAsync();
        Assert.Equal("1", CacheFolder.IndexMeta(Root, "clean"));
        Assert.Empty(CacheFolder.LiveInstanceFiles(Root));
    }

    private CacheHost CreateHost(long? limit = null) => new(Root, Origin.BaseAddress, o => o.CacheSizeLimitBytes = limit ?? o.CacheSizeLimitBytes);

    private FakeMediaVariant Video(string id) => Origin.Catalog.GetVariant(id, FakeMediaKind.Video, "720p");

    private FakeMediaVariant Image(string id) => Origin.Catalog.GetVariant(id, FakeMediaKind.Image, "medium");
}
