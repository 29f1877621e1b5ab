using System.Net;
using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Cache;

/// <summary>Error statuses surface as <see cref="MediaCacheError.HttpStatus"/> with what a retry policy needs.</summary>
public sealed class MediaCacheServerErrorTests : OriginTestBase
{
    private FakeMediaVariant _image = null!;

    protected override FakeMediaCatalog CreateCatalog()
    {
        var catalog = new FakeMediaCatalog().AddExercise("squat", "Squat", e => e.AddTypicalVariants(scale: 20));
        _image = catalog.GetVariant("squat", FakeMediaKind.Image, "medium");
        return catalog;
    }

    [Fact]
    public async Task GetOrDownload_InternalServerError_ReportsStatus500AsTransient()
    {
        Origin.Faults.Set(_image, FakeFault.Status(500));
        await using var host = CreateHost();

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(_image.ToKey(), _image.ToSource()));

        Assert.Equal(MediaCacheError.HttpStatus, error.Error);
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Null(error.RetryAfter);
        Assert.True(error.IsTransient);
        Assert.Equal(_image.ToKey(), error.Key);
        await AssertNothingStoredAsync(host);
    }

    [Fact]
    public async Task GetOrDownload_ServiceUnavailableWithRetryAfter_ReportsTheDelayAsTransient()
    {
        Origin.Faults.Set(_image, FakeFault.Status(503, TimeSpan.FromSeconds(7), times: 1));
        await using var host = CreateHost();

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(_image.ToKey(), _image.ToSource()));

        Assert.Equal(MediaCacheError.HttpStatus, error.Error);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
        Assert.True(error.IsTransient);
        await AssertNothingStoredAsync(host);

        // The fault was for one request: the retry the delay asked for succeeds.
        var media = await host.Cache.GetOrDownloadAsync(_image.ToKey(), _image.ToSource());
        Assert.Equal(_image.Sha256, CacheFolder.Sha256(media.LocalPath));
    }

    [Fact]
    public async Task GetOrDownload_TooManyRequestsWithRetryAfterDate_ReportsAboutTheDelay()
    {
        Origin.Faults.Set(_image, FakeFault.Status(429, TimeSpan.FromSeconds(7)) with { RetryAfterAsHttpDate = true });
        await using var host = CreateHost();

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(_image.ToKey(), _image.ToSource()));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.NotNull(error.RetryAfter);
        Assert.InRange(error.RetryAfter.Value, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(8)); // An HTTP date has whole seconds.
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task GetOrDownload_NotFound_ReportsStatus404AsNotTransient()
    {
        await using var host = CreateHost();
        var key = new MediaKey("squat", MediaKind.Image, "huge");

        var error = await Assert.ThrowsAsync<MediaCacheException>(
            () => host.Cache.GetOrDownloadAsync(key, new MediaSource("/media/images/squat/huge/huge.jpg")));

        Assert.Equal(MediaCacheError.HttpStatus, error.Error);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.Null(await host.Cache.TryGetAsync(key));
        await AssertNothingStoredAsync(host);
    }

    [Fact]
    public async Task GetOrDownload_OriginUnreachable_ReportsNetworkAsTransient()
    {
        var address = Origin.BaseAddress;
        await Origin.DisposeAsync();
        await using var host = new CacheHost(Root, address);

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(_image.ToKey(), _image.ToSource()));

        Assert.Equal(MediaCacheError.Network, error.Error);
        Assert.True(error.IsTransient);
        Assert.Null(error.StatusCode);
        await AssertNothingStoredAsync(host);
    }

    private async Task AssertNothingStoredAsync(CacheHost host)
    {
        Assert.Null(await host.Cache.TryGetAsync(_image.ToKey()));
        Assert.Empty(CacheFolder.MediaFiles(Root));
        Assert.Empty(CacheFolder.TempFiles(Root));
    }

    private CacheHost CreateHost() => NewCacheHost(Origin.BaseAddress);
}
