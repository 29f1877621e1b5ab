using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Cache;

/// <summary>Revalidation: a 304 keeps the file and refreshes its time; changed content replaces it once verified.</summary>
public sealed class MediaCacheRevalidationTests : OriginTestBase
{
    private FakeMediaVariant _image = null!;

    protected override FakeMediaCatalog CreateCatalog()
    {
        var catalog = new FakeMediaCatalog().AddExercise("squat", "Squat", e => e.AddTypicalVariants(scale: 20));
        _image = catalog.GetVariant("squat", FakeMediaKind.Image, "large");
        return catalog;
    }

    [Fact]
    public async Task Revalidate_Unchanged_Gets304KeepsTheFileAndMovesCachedAt()
    {
        await using var host = new CacheHost(Root, Origin.BaseAddress);
        var downloaded = await host.Cache.GetOrDownloadAsync(_image.ToKey(), _image.ToSource());
        var writtenAt = File.GetLastWriteTimeUtc(downloaded.LocalPath);
        host.Time.Advance(TimeSpan.FromHours(5));

        var revalidated = await host.Cache.RevalidateAsync(_image.ToKey(), _image.ToSource());

        var check = (await Origin.Requests.CompletedAsync(_image))[^1];
        Assert.Equal(_image.ETag, check.IfNoneMatch);
        Assert.Equal(304, check.StatusCode);
        Assert.Equal(0, check.BodyBytesSent);
        Assert.Equal(downloaded.LocalPath, revalidated.LocalPath);
        Assert.Equal(downloaded.Sha256, revalidated.Sha256);
        Assert.Equal(_image.Sha256, CacheFolder.Sha256(revalidated.LocalPath));
        Assert.Equal(writtenAt, File.GetLastWriteTimeUtc(revalidated.LocalPath));
        Assert.Equal(host.Time.GetUtcNow() - TimeSpan.FromHours(5), downloaded.CachedAt);
        Assert.Equal(host.Time.GetUtcNow(), revalidated.CachedAt);
        Assert.Equal(host.Time.GetUtcNow(), (await host.Cache.TryGetAsync(_image.ToKey()))!.CachedAt);
        Assert.Equal(_image.SizeBytes, (await host.Cache.GetUsageAsync()).TotalBytes);
    }

    [Fact]
    public async Task Revalidate_ContentChanged_DownloadsAndKeepsTheNewContent()
    {
        await using var host = new CacheHost(Root, Origin.BaseAddress);
        var downloaded = await host.Cache.GetOrDownloadAsync(_image.ToKey(), _image.ToSource());
        var oldETag = _image.ETag;
        _image.ChangeContent(_image.SizeBytes + 1000);

        var revalidated = await host.Cache.RevalidateAsync(_image.ToKey(), _image.ToSource());

        var check = (await Origin.Requests.CompletedAsync(_image))[^1];
        Assert.Equal(oldETag, check.IfNoneMatch);
        Assert.Equal(200, check.StatusCode);
        Assert.NotEqual(downloaded.Sha256, revalidated.Sha256);
        Assert.Equal(_image.Sha256, revalidated.Sha256);
        Assert.Equal(_image.ETag, revalidated.ETag);
        Assert.Equal(_image.Sha256, CacheFolder.Sha256(revalidated.LocalPath));
        Assert.Equal(_image.SizeBytes, (await host.Cache.GetUsageAsync()).TotalBytes);
        Assert.Equal([revalidated.LocalPath], CacheFolder.MediaFiles(Root));
        Assert.Empty(CacheFolder.TempFiles(Root));
    }

    [Fact]
    public async Task Revalidate_ServerFails_KeepsTheCachedFileUnchanged()
    {
        await using var host = new CacheHost(Root, Origin.BaseAddress);
        var downloaded = await host.Cache.GetOrDownloadAsync(_image.ToKey(), _image.ToSource());
        _image.ChangeContent();
        Origin.Faults.Set(_image, FakeFault.DropAfter(10_000));

        await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.RevalidateAsync(_image.ToKey(), _image.ToSource(verified: false)));

        var kept = await host.Cache.TryGetAsync(_image.ToKey());
        Assert.NotNull(kept);
        Assert.Equal(downloaded.Sha256, kept.Sha256);
        Assert.Equal(downloaded.Sha256, CacheFolder.Sha256(kept.LocalPath));
    }

    [Fact]
    public async Task Revalidate_NotCachedYet_Downloads()
    {
        await using var host = new CacheHost(Root, Origin.BaseAddress);

        var media = await host.Cache.RevalidateAsync(_image.ToKey(), _image.ToSource());

        Assert.Null(Origin.Requests.ForPath(_image)[0].IfNoneMatch);
        Assert.Equal(_image.Sha256, CacheFolder.Sha256(media.LocalPath));
    }
}
