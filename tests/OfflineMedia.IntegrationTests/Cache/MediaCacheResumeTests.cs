using Microsoft.Data.Sqlite;
using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Cache;

/// <summary>Interrupted downloads (a cancel, a dropped connection, a stall) are never cached and resume where they stopped.</summary>
public sealed class MediaCacheResumeTests : OriginTestBase
{
    private FakeMediaVariant _video = null!;
    private FakeMediaVariant _image = null!;

    protected override FakeMediaCatalog CreateCatalog()
    {
        var catalog = new FakeMediaCatalog().AddExercise("squat", "Squat", e => e.AddTypicalVariants(scale: 20));
        _video = catalog.GetVariant("squat", FakeMediaKind.Video, "720p"); // 512 KiB
        _image = catalog.GetVariant("squat", FakeMediaKind.Image, "medium"); // 25 KB
        return catalog;
    }

    [Fact]
    public async Task GetOrDownload_SmallFileReceivedWhole_WritesNoResumeRecord()
    {
        await using var host = CreateHost();
        await host.Cache.GetUsageAsync(); // Opens the index.
        using (var index = new SqliteConnection($"Data Source={CacheFolder.IndexFile(Root)};Pooling=False"))
        {
            // Every resume record ever written is copied aside, though the commit deletes it.
            index.Open();
            using var command = index.CreateCommand();
            command.CommandText = """
                CREATE TABLE test_recorded (file TEXT);
                CREATE TRIGGER test_record AFTER INSERT ON partials BEGIN INSERT INTO test_recorded VALUES (new.file); END;
                """;
            command.ExecuteNonQuery();
        }

        var media = await host.Cache.GetOrDownloadAsync(_image.ToKey(), _image.ToSource());

        Assert.Equal(_image.Sha256, CacheFolder.Sha256(media.LocalPath));
        using var check = new SqliteConnection($"Data Source={CacheFolder.IndexFile(Root)};Mode=ReadOnly;Pooling=False");
        check.Open();
        using var count = check.CreateCommand();
        count.CommandText = "SELECT count(*) FROM test_recorded";
        Assert.Equal(0L, count.ExecuteScalar()); // A write of the index per small file saved: most arrive whole.
    }

    [Fact]
    public async Task GetOrDownload_PartialFileWithoutAResumeRecord_IsWrittenOverFromTheStart()
    {
        await using var host = CreateHost();
        await host.Cache.GetUsageAsync(); // Opens the index: the repair on open would remove a file of no download.
        var partial = host.Default.Paths.PartialFile(_image.ToKey());
        await File.WriteAllBytesAsync(partial, Enumerable.Repeat((byte)0xEE, 100_000).ToArray()); // Longer than the body.

        var media = await host.Cache.GetOrDownloadAsync(_image.ToKey(), _image.ToSource());

        Assert.Equal(_image.Sha256, CacheFolder.Sha256(media.LocalPath));
        Assert.Equal(_image.SizeBytes, new FileInfo(media.LocalPath).Length);
        Assert.Empty(CacheFolder.PartialFiles(Root));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // Without a digest nothing hashes the kept bytes: the resumed body must still land after them.
    public async Task GetOrDownload_CanceledMidBody_LeavesNoEntryAndTheNextCallResumesWithRange(bool verified)
    {
        const long StallAt = 200_000;
        Origin.Faults.Set(_video, FakeFault.StallAfter(StallAt));
        await using var host = CreateHost();
        var key = _video.ToKey();
        var progress = new RecordingProgress();

        using var cancel = new CancellationTokenSource();
        var download = host.Cache.GetOrDownloadAsync(key, _video.ToSource(verified), progress, cancel.Token);
        await progress.FirstReport.WaitAsync(TimeSpan.FromSeconds(10));
        await CacheFolder.WaitUntilAsync(() => Origin.Requests.ForPath(_video) is [{ BodyBytesSent: StallAt }], "the origin stalls");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => download);
        Assert.Null(await host.Cache.TryGetAsync(key));
        Assert.Empty(CacheFolder.MediaFiles(Root));
        var kept = await CacheFolder.WaitForReleasedPartialAsync(Root);
        Assert.InRange(kept, 1, StallAt);
        var recorded = Assert.Single(CacheFolder.RecordedPartials(Root));
        Assert.Equal(Path.GetFileName(Assert.Single(CacheFolder.PartialFiles(Root))), recorded.File);
        Assert.Equal(_video.ETag, recorded.ETag);

        Origin.Faults.Clear(_video);
        var media = await host.Cache.GetOrDownloadAsync(key, _video.ToSource(verified));

        var requests = await Origin.Requests.CompletedAsync(_video);
        Assert.Equal(2, requests.Count);
        Assert.Null(requests[0].Range);
        Assert.Equal($"bytes={kept}-", requests[1].Range);
        Assert.Equal(_video.ETag, requests[1].IfRange);
        Assert.Equal(206, requests[1].StatusCode);
        Assert.Equal(_video.SizeBytes - kept, requests[1].BodyBytesSent);
        Assert.Equal(_video.SizeBytes, media.Bytes);
        Assert.Equal(verified ? _video.Sha256 : null, media.Sha256);
        Assert.Equal(_video.Sha256, CacheFolder.Sha256(media.LocalPath));
        Assert.Empty(CacheFolder.TempFiles(Root));
        Assert.Empty(CacheFolder.RecordedPartials(Root)); // Forgotten with the commit that completes it.
    }

    [Fact]
    public async Task GetOrDownload_ConnectionDropped_FailsWithNetworkKeepsThePartialAndResumesOnlyTheMissingBytes()
    {
        const long DropAt = 300_000;
        Origin.Faults.Set(_video, FakeFault.DropAfter(DropAt));
        await using var host = CreateHost();
        var key = _video.ToKey();

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(key, _video.ToSource()));

        Assert.Equal(MediaCacheError.Network, error.Error);
        Assert.True(error.IsTransient);
        Assert.Equal(key, error.Key);
        Assert.Null(await host.Cache.TryGetAsync(key));
        Assert.Empty(CacheFolder.MediaFiles(Root));
        var partial = Assert.Single(CacheFolder.PartialFiles(Root));
        Assert.Equal(DropAt, new FileInfo(partial).Length);
        Assert.Equal(0, (await host.Cache.GetUsageAsync()).Count);

        Origin.Faults.Clear(_video);
        var progress = new RecordingProgress();
        var media = await host.Cache.GetOrDownloadAsync(key, _video.ToSource(), progress);

        var resume = (await Origin.Requests.CompletedAsync(_video))[^1];
        Assert.Equal($"bytes={DropAt}-", resume.Range);
        Assert.Equal(_video.ETag, resume.IfRange);
        Assert.Equal(_video.SizeBytes - DropAt, resume.BodyBytesSent);
        Assert.Equal(_video.SizeBytes, progress.Highest); // Progress counts the resumed bytes too.
        Assert.Equal(_video.Sha256, CacheFolder.Sha256(media.LocalPath));
        Assert.Empty(CacheFolder.TempFiles(Root));
    }

    [Fact]
    public async Task GetOrDownload_ContentChangedSinceThePartial_StartsOverWithTheNewContent()
    {
        Origin.Faults.Set(_video, FakeFault.DropAfter(100_000));
        await using var host = CreateHost();
        var key = _video.ToKey();
        await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(key, _video.ToSource(verified: false)));
        var oldETag = _video.ETag;

        Origin.Faults.Clear(_video);
        _video.ChangeContent();
        var media = await host.Cache.GetOrDownloadAsync(key, _video.ToSource(verified: false));

        var retry = (await Origin.Requests.CompletedAsync(_video))[^1];
        Assert.Equal(oldETag, retry.IfRange);
        Assert.Equal(200, retry.StatusCode); // If-Range failed: the whole new representation.
        Assert.Equal(_video.SizeBytes, retry.BodyBytesSent);
        Assert.Null(media.Sha256); // Not verified: nothing to keep.
        Assert.Equal(_video.Sha256, CacheFolder.Sha256(media.LocalPath));
        Assert.Equal(_video.ETag, media.ETag);
    }

    [Fact]
    public async Task GetOrDownload_BodyStallsLongerThanTheTimeout_FailsWithNetworkAndKeepsThePartial()
    {
        Origin.Faults.Set(_video, FakeFault.StallAfter(150_000));
        await using var host = CreateHost(o => o.DownloadStallTimeout = TimeSpan.FromSeconds(1));
        var key = _video.ToKey();

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(key, _video.ToSource()));

        Assert.Equal(MediaCacheError.Network, error.Error);
        Assert.Contains("stalled", error.Message, StringComparison.Ordinal);
        Assert.Null(await host.Cache.TryGetAsync(key));
        Assert.Empty(CacheFolder.MediaFiles(Root));
        Assert.Equal(150_000, new FileInfo(Assert.Single(CacheFolder.PartialFiles(Root))).Length);

        Origin.Faults.Clear(_video);
        var media = await host.Cache.GetOrDownloadAsync(key, _video.ToSource());
        Assert.Equal("bytes=150000-", Origin.Requests.ForPath(_video)[^1].Range);
        Assert.Equal(_video.Sha256, CacheFolder.Sha256(media.LocalPath));
    }

    [Fact]
    public async Task GetOrDownload_PartialFromAnEarlierSession_ResumesAfterReopening()
    {
        const long DropAt = 250_000;
        Origin.Faults.Set(_video, FakeFault.DropAfter(DropAt));
        await using (var first = CreateHost())
        {
            await Assert.ThrowsAsync<MediaCacheException>(() => first.Cache.GetOrDownloadAsync(_video.ToKey(), _video.ToSource()));
        }

        Origin.Faults.Clear(_video);
        await using var second = CreateHost();
        var media = await second.Cache.GetOrDownloadAsync(_video.ToKey(), _video.ToSource());

        var resume = (await Origin.Requests.CompletedAsync(_video))[^1];
        Assert.Equal($"bytes={DropAt}-", resume.Range);
        Assert.Equal(_video.SizeBytes - DropAt, resume.BodyBytesSent);
        Assert.Equal(_video.Sha256, CacheFolder.Sha256(media.LocalPath));
    }

    private CacheHost CreateHost(Action<OfflineMediaOptions>? configure = null) => NewCacheHost(Origin.BaseAddress, configure);
}
