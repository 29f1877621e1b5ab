using System.Security.Cryptography;
using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Cache;

public sealed class MediaCacheSmokeTests : OriginTestBase
{
    protected override FakeMediaCatalog CreateCatalog() => new FakeMediaCatalog().AddExercise("squat", "Squat", e => e.AddTypicalVariants(scale: 100));

    [Fact]
    public async Task GetOrDownload_ThenReopen_ServesTheVerifiedFileFromDisk()
    {
        var variant = Origin.Catalog.GetVariant("squat", FakeMediaKind.Video, "720p");
        var key = new MediaKey("squat", MediaKind.Video, "720p");

        CachedMedia media;
        await using (var host = new CacheHost(Temp.Path, Origin.BaseAddress))
        {
            media = await host.Cache.GetOrDownloadAsync(key, new MediaSource(variant.Path, variant.SizeBytes, variant.Sha256));
        }

        Assert.Equal(variant.SizeBytes, media.Bytes);
        Assert.Equal(variant.Sha256, media.Sha256);
        Assert.StartsWith(Temp.Path, media.LocalPath, StringComparison.Ordinal);
        Assert.Equal(variant.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(media.LocalPath))));

        await using (var reopened = new CacheHost(Temp.Path, Origin.BaseAddress))
        {
            var hit = await reopened.Cache.TryGetAsync(key);
            Assert.NotNull(hit);
            Assert.Equal(media.LocalPath, hit.LocalPath);
        }

        Assert.Equal(1, Origin.Requests.CountRequests(variant.Path));
    }
}
