using Microsoft.Extensions.DependencyInjection;
using OfflineMedia.Catalog;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Catalog;

/// <summary>The default media-info client against the fake origin over real HTTP.</summary>
public sealed class HttpExerciseMediaClientTests : OriginTestBase
{
    protected override FakeMediaCatalog CreateCatalog()
    {
        var catalog = FakeMediaCatalog.CreateWeek(DateTimeOffset.UtcNow, scale: 1000);
        catalog.GetExercise("squat").AddImage("8k", 100).AddVideo("hls", 100, FakeVariantForm.Rich);
        catalog.AddExercise("front squat/45° ü", "Front Squat", e => e.AddImage("medium", 100).AddVideo("poster", 50, FakeVariantForm.Rich));
        return catalog;
    }

    [Fact]
    public async Task GetMedia_PlainForm_HasRelativeUrlsWithoutSizes()
    {
        await using var host = new SyncHost(Temp.Path, Origin.BaseAddress);

        var media = await Client(host).GetMediaAsync("squat");

        var expected = Origin.Catalog.GetExercise("squat");
        Assert.Equal(["thumbnail", "small", "medium", "large", "original"], media.Images.Select(v => v.Name));
        Assert.Equal(["720p", "1080p", "original"], media.Videos.Select(v => v.Name));
        Assert.All(media.Images.Concat(media.Videos).Append(media.Poster!), v =>
        {
            Assert.Null(v.Bytes);
            Assert.Null(v.Sha256);
        });
        Assert.Equal(expected.GetVariant(FakeMediaKind.Image, "medium").Path, media.Find(MediaKind.Image, "medium")!.Url);
        Assert.Equal(expected.GetVariant(FakeMediaKind.Video, "poster").Path, media.Poster!.Url);
    }

    [Fact]
    public async Task GetMedia_RichForm_CarriesTheServedSizeAndDigest()
    {
        await using var host = new SyncHost(Temp.Path, Origin.BaseAddress);

        var media = await Client(host).GetMediaAsync("deadlift");

        var expected = Origin.Catalog.GetExercise("deadlift");
        foreach (var variant in expected.Variants)
        {
            var kind = variant.Kind == FakeMediaKind.Image ? MediaKind.Image : MediaKind.Video;
            var parsed = media.Find(kind, variant.Name)!;
            Assert.Equal(variant.Path, parsed.Url);
            Assert.Equal(variant.SizeBytes, parsed.Bytes);
            Assert.Equal(variant.Sha256, parsed.Sha256);
        }
    }

    [Fact]
    public async Task GetMedia_UnknownVariantNames_AreIgnored()
    {
        await using var host = new SyncHost(Temp.Path, Origin.BaseAddress);

        var media = await Client(host).GetMediaAsync("squat");

        Assert.DoesNotContain(media.Images, v => v.Name == "8k");
        Assert.DoesNotContain(media.Videos, v => v.Name == "hls");
        Assert.Equal(5, media.Images.Count());
    }

    [Fact]
    public async Task GetMedia_IdWithSpacesSlashAndUnicode_IsEscapedIntoOneSegment()
    {
        await using var host = new SyncHost(Temp.Path, Origin.BaseAddress);

        var media = await Client(host).GetMediaAsync("front squat/45° ü");

        Assert.Equal(Origin.Catalog.GetVariant("front squat/45° ü", FakeMediaKind.Image, "medium").Path, Assert.Single(media.Images).Url);
        var request = Assert.Single(Origin.Requests.All);
        Assert.Contains("%2F", request.Path, StringComparison.Ordinal); // The slash stayed escaped: one segment.
        Assert.Equal(200, request.StatusCode);
    }

    [Fact]
    public async Task GetMedia_UnknownExercise_IsNotFound()
    {
        await using var host = new SyncHost(Temp.Path, Origin.BaseAddress);

        var error = await Assert.ThrowsAsync<CatalogException>(() => Client(host).GetMediaAsync("nope"));

        Assert.Equal(CatalogError.NotFound, error.Error);
    }

    [Fact]
    public async Task GetMedia_500_IsATransientHttpStatus()
    {
        Origin.Faults.Set("/api/exercises/squat/media", FakeFault.Status(500));
        await using var host = new SyncHost(Temp.Path, Origin.BaseAddress);

        var error = await Assert.ThrowsAsync<CatalogException>(() => Client(host).GetMediaAsync("squat"));

        Assert.Equal(CatalogError.HttpStatus, error.Error);
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Contains("answered 500", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMedia_CaptivePortalPage_IsAnInvalidResponse()
    {
        Origin.Faults.Set("/api/exercises/squat/media", FakeFault.HtmlPage());
        await using var host = new SyncHost(Temp.Path, Origin.BaseAddress);

        var error = await Assert.ThrowsAsync<CatalogException>(() => Client(host).GetMediaAsync("squat"));

        Assert.Equal(CatalogError.InvalidResponse, error.Error);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMedia_BodyWithTrailingGarbage_IsAnInvalidResponse()
    {
        Origin.Faults.Set("/api/exercises/squat/media", new FakeFault { ExtraBodyBytes = 16 });
        await using var host = new SyncHost(Temp.Path, Origin.BaseAddress);

        var error = await Assert.ThrowsAsync<CatalogException>(() => Client(host).GetMediaAsync("squat"));

        Assert.Equal(CatalogError.InvalidResponse, error.Error);
    }

    [Fact]
    public async Task GetMedia_ConnectionDroppedMidDocument_IsATransientNetworkError()
    {
        Origin.Faults.Set("/api/exercises/squat/media", FakeFault.DropAfter(20));
        await using var host = new SyncHost(Temp.Path, Origin.BaseAddress);

        var error = await Assert.ThrowsAsync<CatalogException>(() => Client(host).GetMediaAsync("squat"));

        Assert.Equal(CatalogError.Network, error.Error);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task GetMedia_SignedCdnUrls_AreKeptWhole()
    {
        await using var origin = await FakeMediaOrigin.StartAsync(Origin.Catalog, new FakeMediaOriginOptions { MediaUrlStyle = FakeMediaUrlStyle.SignedCdn });
        await using var host = new SyncHost(Temp.Path, origin.BaseAddress);

        var media = await Client(host).GetMediaAsync("squat");

        var url = new Uri(media.Find(MediaKind.Image, "medium")!.Url);
        Assert.True(url.IsAbsoluteUri);
        Assert.StartsWith("/cdn/", url.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("sig=", url.Query, StringComparison.Ordinal);
    }

    private static IExerciseMediaClient Client(SyncHost host) => host.Services.GetRequiredService<IExerciseMediaClient>();
}
