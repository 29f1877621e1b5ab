using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Resolution;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Resolution;

/// <summary>A desktop (no display probe) streams the highest quality while online, and falls back to the cache offline.</summary>
public sealed class MediaSourceResolverDesktopTests : OriginTestBase
{
    protected override FakeMediaCatalog CreateCatalog()
    {
        var catalog = new FakeMediaCatalog()
            .AddExercise("squat", "Squat", e => e.AddTypicalVariants(scale: 1000, FakeVariantForm.Rich))
            .AddPhoneExercise("lunge"); // Images up to large, videos up to 1080p: no original.
        return catalog;
    }

    [Fact]
    public async Task ResolveAsync_DesktopOnlineWithASmallerVariantCached_StreamsTheOriginal()
    {
        await using var host = Desktop();
        await host.CacheAsync(Origin.Catalog.GetVariant("squat", FakeMediaKind.Image, "medium"));
        await host.CacheAsync(Origin.Catalog.GetVariant("squat", FakeMediaKind.Video, "720p"));
        var resolver = host.Resolver();

        var image = await resolver.ResolveAsync("squat", MediaKind.Image);
        var video = await resolver.ResolveAsync("squat", MediaKind.Video);

        await AssertStreamsAsync(image, "squat", FakeMediaKind.Image, MediaVariantNames.Original);
        await AssertStreamsAsync(video, "squat", FakeMediaKind.Video, MediaVariantNames.Original);
    }

    [Fact]
    public async Task ResolveAsync_DesktopOnlineWithoutAnOriginal_StreamsTheHighestQualityOffered()
    {
        await using var host = Desktop();
        var resolver = host.Resolver();

        var image = await resolver.ResolveAsync("lunge", MediaKind.Image);
        var video = await resolver.ResolveAsync("lunge", MediaKind.Video);
        var poster = await resolver.ResolvePosterAsync("lunge");

        await AssertStreamsAsync(image, "lunge", FakeMediaKind.Image, MediaVariantNames.Large);
        await AssertStreamsAsync(video, "lunge", FakeMediaKind.Video, MediaVariantNames.Video1080p);
        await AssertStreamsAsync(poster, "lunge", FakeMediaKind.Video, MediaVariantNames.Poster);
    }

    [Fact]
    public async Task ResolveAsync_DesktopOffline_GivesTheCachedFileWithoutAnyRequest()
    {
        await using var host = Desktop();
        var medium = await host.CacheAsync(Origin.Catalog.GetVariant("squat", FakeMediaKind.Image, "medium"));
        var video720 = await host.CacheAsync(Origin.Catalog.GetVariant("squat", FakeMediaKind.Video, "720p"));
        host.Network.Set(FakeConnectivityProbe.Offline);
        var requestsBefore = Origin.Requests.Count;
        var resolver = host.Resolver();

        var image = await resolver.ResolveAsync("squat", MediaKind.Image);
        var video = await resolver.ResolveAsync("squat", MediaKind.Video);
        var notCached = await resolver.ResolveAsync("lunge", MediaKind.Video);

        Assert.Equal(MediaSourceKind.Local, image.Source);
        Assert.Equal(MediaVariantNames.Medium, image.Variant);
        Assert.Equal(medium.LocalPath, image.LocalPath);
        Assert.Equal(MediaSourceKind.Local, video.Source);
        Assert.Equal(MediaVariantNames.Video720p, video.Variant);
        Assert.Equal(video720.LocalPath, video.LocalPath);
        Assert.True(File.Exists(video.LocalPath));
        Assert.Equal(MediaSourceKind.Unavailable, notCached.Source);
        Assert.Contains("not available offline", notCached.Reason, StringComparison.Ordinal);
        Assert.Equal(requestsBefore, Origin.Requests.Count);
    }

    /// <summary>No display probe result: a desktop, as the SDK's default <c>NoDisplayProbe</c> reports.</summary>
    private SyncHost Desktop() => NewSyncHost(Origin.BaseAddress, display: new FakeDisplayProbe());

    private async Task AssertStreamsAsync(ResolvedMedia resolved, string exerciseId, FakeMediaKind group, string variant)
    {
        var expected = Origin.Catalog.GetVariant(exerciseId, group, variant);
        Assert.Equal(MediaSourceKind.Remote, resolved.Source);
        Assert.Equal(variant, resolved.Variant);
        Assert.Null(resolved.LocalPath);
        Assert.Equal(Origin.GetMediaUri(expected), resolved.RemoteUrl);
        Assert.Equal(expected.Sha256, await DisplayHostExtensions.FetchSha256Async(resolved.RemoteUrl!));
    }
}
