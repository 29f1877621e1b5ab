using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Cache;

/// <summary>Device storage: too little free space is refused up front, and a disk that fills up mid-body leaves nothing behind.</summary>
public sealed class MediaCacheStorageTests : OriginTestBase
{
    private FakeMediaVariant _video = null!;

    protected override FakeMediaCatalog CreateCatalog()
    {
        var catalog = new FakeMediaCatalog().AddExercise("squat", "Squat", e => e.AddTypicalVariants(scale: 20));
        _video = catalog.GetVariant("squat", FakeMediaKind.Video, "720p"); // 512 KiB
        return catalog;
    }

    [Fact]
    public async Task GetOrDownload_DeviceHasTooLittleFreeSpace_FailsWithInsufficientSpaceBeforeWritingTheBody()
    {
        var fileSystem = new TestFileSystem();
        await using var host = new CacheHost(Root, Origin.BaseAddress, fileSystem: fileSystem, storage: new FakeStorageProbe(100_000));

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(_video.ToKey(), _video.ToSource(verified: false)));

        Assert.Equal(MediaCacheError.InsufficientSpace, error.Error);
        Assert.Contains("524288", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, fileSystem.BytesWritten);
        Assert.Null(await host.Cache.TryGetAsync(_video.ToKey()));
        Assert.Empty(CacheFolder.TempFiles(Root));
        Assert.Empty(CacheFolder.MediaFiles(Root));

        host.Storage.AvailableBytes = 10_000_000;
        var media = await host.Cache.GetOrDownloadAsync(_video.ToKey(), _video.ToSource());
        Assert.Equal(_video.Sha256, CacheFolder.Sha256(media.LocalPath));
    }

    [Fact]
    public async Task GetOrDownload_DownloadWouldEatIntoTheReserve_FailsWithInsufficientSpace()
    {
        await using var host = new CacheHost(Root, Origin.BaseAddress, o => o.StorageReserveBytes = 1_000_000, storage: new FakeStorageProbe(1_400_000));

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(_video.ToKey(), _video.ToSource()));

        Assert.Equal(MediaCacheError.InsufficientSpace, error.Error);
        Assert.Empty(CacheFolder.TempFiles(Root));
    }

    [Fact]
    public async Task GetOrDownload_DiskFillsUpMidBody_FailsWithInsufficientSpaceAndLeavesNothing()
    {
        var fileSystem = new TestFileSystem { WritableBytes = 200_000 };
        await using var host = new CacheHost(Root, Origin.BaseAddress, fileSystem: fileSystem);

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(_video.ToKey(), _video.ToSource()));

        Assert.Equal(MediaCacheError.InsufficientSpace, error.Error);
        var cause = Assert.IsAssignableFrom<IOException>(error.InnerException);
        Assert.Equal(TestFileSystem.DiskFullHResult, cause.HResult);
        Assert.True(fileSystem.BytesWritten > 200_000);
        Assert.Null(await host.Cache.TryGetAsync(_video.ToKey()));
        Assert.Equal(0, (await host.Cache.GetUsageAsync()).Count);
        Assert.Empty(CacheFolder.TempFiles(Root)); // No .part and no sidecar: a full disk is not worth resuming into.
        Assert.Empty(CacheFolder.MediaFiles(Root));

        fileSystem.WritableBytes = null; // Space was freed.
        var media = await host.Cache.GetOrDownloadAsync(_video.ToKey(), _video.ToSource());
        Assert.Equal(_video.Sha256, CacheFolder.Sha256(media.LocalPath));
    }

    [Fact]
    public async Task GetOrDownload_DiskFullWhileResuming_FailsWithInsufficientSpaceAndLeavesNothing()
    {
        var fileSystem = new TestFileSystem();
        await using var host = new CacheHost(Root, Origin.BaseAddress, fileSystem: fileSystem);
        Origin.Faults.Set(_video, FakeFault.DropAfter(200_000));
        await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(_video.ToKey(), _video.ToSource()));
        Origin.Faults.Clear(_video);
        fileSystem.WritableBytes = 100_000;

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(_video.ToKey(), _video.ToSource()));

        Assert.Equal(MediaCacheError.InsufficientSpace, error.Error);
        Assert.Empty(CacheFolder.TempFiles(Root));
        Assert.Empty(CacheFolder.MediaFiles(Root));
    }
}
