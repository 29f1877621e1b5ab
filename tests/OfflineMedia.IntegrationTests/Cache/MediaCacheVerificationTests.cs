using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Cache;

/// <summary>A body that is not the media expected (wrong length or digest, a web page, over the cap) is refused and never cached.</summary>
public sealed class MediaCacheVerificationTests : OriginTestBase
{
    private FakeMediaVariant _video = null!;
    private FakeMediaVariant _image = null!;

    protected override FakeMediaCatalog CreateCatalog()
    {
        var catalog = new FakeMediaCatalog().AddExercise("squat", "Squat", e => e.AddTypicalVariants(scale: 20));
        _video = catalog.GetVariant("squat", FakeMediaKind.Video, "720p"); // 512 KiB
        _image = catalog.GetVariant("squat", FakeMediaKind.Image, "original"); // 256 KiB
        return catalog;
    }

    [Fact]
    public async Task GetOrDownload_ContentLengthOverstatedWithoutCatalogSize_FailsWithNetworkAndNeverCaches()
    {
        Origin.Faults.Set(_video, FakeFault.OverstateContentLength(1000));
        await using var host = CreateHost();
        var source = _video.ToSource(verified: false);

        var first = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(_video.ToKey(), source));
        var second = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(_video.ToKey(), source));

        Assert.Equal(MediaCacheError.Network, first.Error);
        Assert.Equal(MediaCacheError.Network, second.Error);
        await AssertNotCachedAsync(host, _video);

        // The retry could not resume past the real end (416) and started over, then was cut short again.
        var requests = await Origin.Requests.CompletedAsync(_video);
        Assert.Equal(416, requests[1].StatusCode);
        Assert.Null(requests[2].Range);

        Origin.Faults.Clear(_video);
        var media = await host.Cache.GetOrDownloadAsync(_video.ToKey(), source);
        Assert.Equal(_video.Sha256, CacheFolder.Sha256(media.LocalPath));
    }

    [Fact]
    public async Task GetOrDownload_ContentLengthOverstatedAgainstTheCatalog_FailsVerificationBeforeTheBody()
    {
        Origin.Faults.Set(_video, FakeFault.OverstateContentLength(1000));
        await using var host = CreateHost();

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(_video.ToKey(), _video.ToSource()));

        Assert.Equal(MediaCacheError.VerificationFailed, error.Error);
        Assert.False(error.IsTransient);
        await AssertNotCachedAsync(host, _video);
        Assert.Empty(CacheFolder.TempFiles(Root));
    }

    [Fact]
    public async Task GetOrDownload_BodyLongerThanTheCatalogSize_FailsVerificationAndLeavesNoPartial()
    {
        Origin.Faults.Set(_video, FakeFault.AppendExtraBytes(4096)); // Chunked: no length to refuse up front.
        await using var host = CreateHost();

        var error = await Assert.ThrowsAsync<MediaCacheException>(
            () => host.Cache.GetOrDownloadAsync(_video.ToKey(), new MediaSource(_video.Path, _video.SizeBytes)));

        Assert.Equal(MediaCacheError.VerificationFailed, error.Error);
        await AssertNotCachedAsync(host, _video);
        Assert.Empty(CacheFolder.TempFiles(Root));
    }

    [Fact]
    public async Task GetOrDownload_UndeclaredBodyRunsPastTheCatalogSize_StopsWritingAtTheCatalogSize()
    {
        // A proxy streaming megabytes more than the catalog says: the room reserved was the catalog size, so the
        // download must stop there, not write on up to the per-kind cap (4 GiB for videos by default).
        Origin.Faults.Set(_video, FakeFault.AppendExtraBytes(4 * 1024 * 1024));
        var fileSystem = new TestFileSystem();
        await using var host = new CacheHost(Root, Origin.BaseAddress, fileSystem: fileSystem);

        var error = await Assert.ThrowsAsync<MediaCacheException>(
            () => host.Cache.GetOrDownloadAsync(_video.ToKey(), new MediaSource(_video.Path, _video.SizeBytes)));

        Assert.Equal(MediaCacheError.VerificationFailed, error.Error);
        Assert.InRange(fileSystem.BytesWritten, 0, _video.SizeBytes);
        await AssertNotCachedAsync(host, _video);
        Assert.Empty(CacheFolder.TempFiles(Root));
    }

    [Fact]
    public async Task GetOrDownload_BodyLongerWithOnlyADigest_FailsVerificationAndLeavesNoPartial()
    {
        Origin.Faults.Set(_video, FakeFault.AppendExtraBytes(10));
        await using var host = CreateHost();

        var error = await Assert.ThrowsAsync<MediaCacheException>(
            () => host.Cache.GetOrDownloadAsync(_video.ToKey(), new MediaSource(_video.Path, sha256: _video.Sha256)));

        Assert.Equal(MediaCacheError.VerificationFailed, error.Error);
        await AssertNotCachedAsync(host, _video);
        Assert.Empty(CacheFolder.TempFiles(Root));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public async Task GetOrDownload_CatalogSizeDiffersFromTheServers_FailsVerificationAndLeavesNoPartial(int delta)
    {
        await using var host = CreateHost();

        var error = await Assert.ThrowsAsync<MediaCacheException>(
            () => host.Cache.GetOrDownloadAsync(_video.ToKey(), new MediaSource(_video.Path, _video.SizeBytes + delta, _video.Sha256)));

        Assert.Equal(MediaCacheError.VerificationFailed, error.Error);
        await AssertNotCachedAsync(host, _video);
        Assert.Empty(CacheFolder.TempFiles(Root));
    }

    [Fact]
    public async Task GetOrDownload_CorruptedBody_FailsVerificationAndLeavesNoPartial()
    {
        Origin.Faults.Set(_video, FakeFault.Corrupt());
        await using var host = CreateHost();

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(_video.ToKey(), _video.ToSource()));

        Assert.Equal(MediaCacheError.VerificationFailed, error.Error);
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
        await AssertNotCachedAsync(host, _video);
        Assert.Empty(CacheFolder.TempFiles(Root));

        // Nothing of the bad body is reused: the next attempt downloads it whole.
        Origin.Faults.Clear(_video);
        var media = await host.Cache.GetOrDownloadAsync(_video.ToKey(), _video.ToSource());
        Assert.Null((await Origin.Requests.CompletedAsync(_video))[^1].Range);
        Assert.Equal(_video.Sha256, CacheFolder.Sha256(media.LocalPath));
    }

    [Fact]
    public async Task GetOrDownload_CatalogDigestDiffers_FailsVerificationAndLeavesNoPartial()
    {
        await using var host = CreateHost();
        var wrong = new string('0', 64);

        var error = await Assert.ThrowsAsync<MediaCacheException>(
            () => host.Cache.GetOrDownloadAsync(_video.ToKey(), new MediaSource(_video.Path, _video.SizeBytes, wrong)));

        Assert.Equal(MediaCacheError.VerificationFailed, error.Error);
        await AssertNotCachedAsync(host, _video);
        Assert.Empty(CacheFolder.TempFiles(Root));
    }

    [Fact]
    public async Task GetOrDownload_WebPageInsteadOfMedia_FailsVerificationAndCachesNothing()
    {
        Origin.Faults.Set(_image, FakeFault.HtmlPage());
        await using var host = CreateHost();

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(_image.ToKey(), _image.ToSource(verified: false)));

        Assert.Equal(MediaCacheError.VerificationFailed, error.Error);
        Assert.Contains("text/html", error.Message, StringComparison.Ordinal);
        await AssertNotCachedAsync(host, _image);
        Assert.Empty(CacheFolder.TempFiles(Root));
    }

    [Fact]
    public async Task GetOrDownload_CatalogSizeOverTheSourceCap_FailsVerificationWithoutARequest()
    {
        await using var host = CreateHost();
        var source = new MediaSource(_video.Path, _video.SizeBytes, _video.Sha256) { MaxBytes = 100_000 };

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(_video.ToKey(), source));

        Assert.Equal(MediaCacheError.VerificationFailed, error.Error);
        Assert.Equal(0, Origin.Requests.CountRequests(_video.Path));
        await AssertNotCachedAsync(host, _video);
    }

    [Fact]
    public async Task GetOrDownload_DeclaredLengthOverTheSourceCap_FailsVerification()
    {
        await using var host = CreateHost();
        var source = new MediaSource(_video.Path) { MaxBytes = 100_000 };

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(_video.ToKey(), source));

        Assert.Equal(MediaCacheError.VerificationFailed, error.Error);
        Assert.Contains("100000", error.Message, StringComparison.Ordinal);
        await AssertNotCachedAsync(host, _video);
        Assert.Empty(CacheFolder.TempFiles(Root));
    }

    [Fact]
    public async Task GetOrDownload_UndeclaredBodyPassesTheSourceCap_FailsVerificationAndLeavesNoPartial()
    {
        Origin.Faults.Set(_video, FakeFault.AppendExtraBytes(1)); // Chunked: the cap can only be enforced while streaming.
        await using var host = CreateHost();
        var source = new MediaSource(_video.Path) { MaxBytes = 100_000 };

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(_video.ToKey(), source));

        Assert.Equal(MediaCacheError.VerificationFailed, error.Error);
        Assert.Contains("cap", error.Message, StringComparison.Ordinal);
        await AssertNotCachedAsync(host, _video);
        Assert.Empty(CacheFolder.TempFiles(Root));
    }

    [Fact]
    public async Task GetOrDownload_ImageOverMaxImageBytes_FailsVerificationWhileAVideoOfThatSizeIsFine()
    {
        await using var host = CreateHost(o => o.MaxImageBytes = 128 * 1024);

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(_image.ToKey(), _image.ToSource()));
        Assert.Equal(MediaCacheError.VerificationFailed, error.Error);
        await AssertNotCachedAsync(host, _image);

        var video = await host.Cache.GetOrDownloadAsync(_video.ToKey(), _video.ToSource());
        Assert.True(_video.SizeBytes > _image.SizeBytes);
        Assert.Equal(_video.Sha256, CacheFolder.Sha256(video.LocalPath));
    }

    private async Task AssertNotCachedAsync(CacheHost host, FakeMediaVariant variant)
    {
        Assert.Null(await host.Cache.TryGetAsync(variant.ToKey()));
        Assert.Empty(await host.Cache.GetEntriesAsync(variant.ExerciseId));
        Assert.Empty(CacheFolder.MediaFiles(Root));
        Assert.Equal(0, (await host.Cache.GetUsageAsync()).TotalBytes);
    }

    private CacheHost CreateHost(Action<OfflineMediaOptions>? configure = null) => NewCacheHost(Origin.BaseAddress, configure);
}
