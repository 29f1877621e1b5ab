using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Cache;

/// <summary>Reopening after a crash, or over an unreadable index, gives a consistent cache.</summary>
public sealed class MediaCacheRepairTests : OriginTestBase
{
    protected override FakeMediaCatalog CreateCatalog()
    {
        var catalog = new FakeMediaCatalog();
        foreach (var id in (string[])["a", "b", "c", "d"])
        {
            catalog.AddExercise(id, id.ToUpperInvariant(), e => e.AddImage("medium", 100_000 + id[0]).AddVideo("720p", 300_000));
        }

        return catalog;
    }

    [Fact]
    public async Task Open_AfterACrash_DropsBrokenEntriesAndStrayFilesAndKeepsGoodOnes()
    {
        var crashed = CreateHost();
        var a = await DownloadAsync(crashed, "a");
        var b = await DownloadAsync(crashed, "b");
        var c = await DownloadAsync(crashed, "c");
        var d = await DownloadAsync(crashed, "d");
        crashed.Abandon();
        await crashed.DisposeAsync();

        File.Delete(b.LocalPath);
        // Shared, as damage is: the abandoned host's flusher may still hold the file for its flush.
        using (var truncated = new FileStream(c.LocalPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            truncated.SetLength(c.Bytes / 2);
        }

        var orphan = Path.Combine(Root, "media", "image", "ghost", "medium.jpg");
        Directory.CreateDirectory(Path.GetDirectoryName(orphan)!);
        await File.WriteAllBytesAsync(orphan, new byte[1234]);
        var stalePartial = Path.Combine(Root, "tmp", "0123456789abcdef0123456789abcdef.part");
        await File.WriteAllBytesAsync(stalePartial, new byte[4321]);
        var versionThreeSidecar = Path.Combine(Root, "tmp", "fedcba9876543210fedcba9876543210.part.json");
        await File.WriteAllTextAsync(versionThreeSidecar, """{"etag":"\"x\"","totalBytes":10}""");

        await using var reopened = CreateHost();
        var usage = await reopened.Cache.GetUsageAsync();

        Assert.Equal(2, usage.Count);
        Assert.Equal(a.Bytes + d.Bytes, usage.TotalBytes);
        Assert.Equal(a.LocalPath, (await reopened.Cache.TryGetAsync(a.Key))?.LocalPath);
        Assert.Equal(d.LocalPath, (await reopened.Cache.TryGetAsync(d.Key))?.LocalPath);
        Assert.Null(await reopened.Cache.TryGetAsync(b.Key));
        Assert.Null(await reopened.Cache.TryGetAsync(c.Key));
        Assert.Equal([a.LocalPath, d.LocalPath], CacheFolder.MediaFiles(Root));
        Assert.Empty(CacheFolder.TempFiles(Root));
        var repaired = Assert.Single(reopened.Logs.GetSnapshot(), e => e.Id.Id == 19);
        Assert.Contains("dropped 2 entries", repaired.Message, StringComparison.Ordinal);
        Assert.Contains("removed 2 files", repaired.Message, StringComparison.Ordinal); // c's truncated file and the orphan.

        // The dropped entries download again.
        var again = await DownloadAsync(reopened, "c");
        Assert.Equal(Origin.Catalog.GetVariant("c", FakeMediaKind.Image, "medium").Sha256, CacheFolder.Sha256(again.LocalPath));
    }

    [Fact]
    public async Task Open_AfterACleanClose_SkipsTheFullCheck()
    {
        await using (var host = CreateHost())
        {
            await DownloadAsync(host, "a");
        }

        await using var reopened = CreateHost();
        Assert.Equal(1, (await reopened.Cache.GetUsageAsync()).Count);
        Assert.DoesNotContain(reopened.Logs.GetSnapshot(), e => e.Id.Id == 19);
    }

    [Fact]
    public async Task Open_AfterACrashMidDownload_KeepsThePartialAndResumesIt()
    {
        var video = await CrashMidDownloadAsync(120_000);

        await using var reopened = CreateHost();
        var media = await reopened.Cache.GetOrDownloadAsync(video.ToKey(), video.ToSource());

        var resume = (await Origin.Requests.CompletedAsync(video))[^1];
        Assert.Equal("bytes=120000-", resume.Range);
        Assert.Equal(video.SizeBytes - 120_000, resume.BodyBytesSent);
        Assert.Equal(video.Sha256, CacheFolder.Sha256(media.LocalPath));
    }

    [Fact]
    public async Task Open_RecordedPartialWhoseFileIsGone_IsForgottenAndTheDownloadStartsOver()
    {
        var video = await CrashMidDownloadAsync(120_000);
        Assert.Single(CacheFolder.RecordedPartials(Root));
        File.Delete(Assert.Single(CacheFolder.PartialFiles(Root)));

        await using var reopened = CreateHost();
        await reopened.Cache.GetUsageAsync();
        Assert.Empty(CacheFolder.RecordedPartials(Root));
        var media = await reopened.Cache.GetOrDownloadAsync(video.ToKey(), video.ToSource());

        var again = (await Origin.Requests.CompletedAsync(video))[^1];
        Assert.Null(again.Range);
        Assert.Equal(video.Sha256, CacheFolder.Sha256(media.LocalPath));
    }

    [Fact]
    public async Task Open_EmptyRecordedPartial_IsRemovedWithItsRecord()
    {
        await CrashMidDownloadAsync(120_000);
        var partial = Assert.Single(CacheFolder.PartialFiles(Root));
        await File.WriteAllBytesAsync(partial, []); // Created, killed before its first chunk reached it.
        Assert.Single(CacheFolder.RecordedPartials(Root));

        await using var reopened = CreateHost();
        await reopened.Cache.GetUsageAsync();
        Assert.Empty(CacheFolder.PartialFiles(Root));
        Assert.Empty(CacheFolder.RecordedPartials(Root));
    }

    [Fact]
    public async Task Open_GarbageIndex_MovesItAsideRebuildsAndRemovesUnlistedFiles()
    {
        await using (var host = CreateHost())
        {
            await DownloadAsync(host, "a");
            await DownloadAsync(host, "b");
        }

        var garbage = new byte[16 * 1024];
        new Random(7).NextBytes(garbage);
        await File.WriteAllBytesAsync(CacheFolder.IndexFile(Root), garbage);

        await using (var reopened = CreateHost())
        {
            var usage = await reopened.Cache.GetUsageAsync();

            Assert.Equal(0, usage.Count);
            var aside = Assert.Single(Directory.GetFiles(Root, "index.db.corrupt-*"));
            Assert.Equal(garbage, await File.ReadAllBytesAsync(aside));
            var warning = Assert.Single(reopened.Logs.GetSnapshot(), e => e.Id.Id == 17);
            Assert.Equal(LogLevel.Warning, warning.Level);
            Assert.Empty(CacheFolder.MediaFiles(Root));

            var media = await DownloadAsync(reopened, "a");
            Assert.NotNull(await reopened.Cache.TryGetAsync(media.Key));
        }

        // The rebuilt index is durable.
        await using var third = CreateHost();
        Assert.Equal(1, (await third.Cache.GetUsageAsync()).Count);
        Assert.DoesNotContain(third.Logs.GetSnapshot(), e => e.Id.Id == 17);
    }

    [Fact]
    public async Task Open_IndexFromANewerVersion_IsSetAsideInsteadOfMisread()
    {
        await using (var host = CreateHost())
        {
            await DownloadAsync(host, "a");
        }

        using (var connection = new SqliteConnection($"Data Source={CacheFolder.IndexFile(Root)};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99";
            command.ExecuteNonQuery();
        }

        await using var reopened = CreateHost();

        Assert.Equal(0, (await reopened.Cache.GetUsageAsync()).Count);
        Assert.Single(Directory.GetFiles(Root, "index.db.corrupt-*"));
        Assert.Empty(CacheFolder.MediaFiles(Root));
        Assert.NotNull(await DownloadAsync(reopened, "b"));
    }

    private CacheHost CreateHost() => NewCacheHost(Origin.BaseAddress);

    /// <summary>Downloads exercise a's video until the connection drops after <paramref name="bytes"/>, then closes the cache as a crash would.</summary>
    private async Task<FakeMediaVariant> CrashMidDownloadAsync(long bytes)
    {
        var video = Origin.Catalog.GetVariant("a", FakeMediaKind.Video, "720p");
        Origin.Faults.Set(video, FakeFault.DropAfter(bytes));
        var crashed = CreateHost();
        await Assert.ThrowsAsync<MediaCacheException>(() => crashed.Cache.GetOrDownloadAsync(video.ToKey(), video.ToSource()));
        crashed.Abandon();
        await crashed.DisposeAsync();
        Origin.Faults.Clear(video);
        return video;
    }

    private async Task<CachedMedia> DownloadAsync(CacheHost host, string exercise)
    {
        var variant = Origin.Catalog.GetVariant(exercise, FakeMediaKind.Image, "medium");
        var media = await host.Cache.GetOrDownloadAsync(new MediaKey(exercise, MediaKind.Image, "medium"), variant.ToSource());
        host.Time.Advance(TimeSpan.FromSeconds(1));
        return media;
    }
}
