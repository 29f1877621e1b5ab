using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Resolution;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Resolution;

/// <summary>A phone online shows the cached file when there is one, else streams the variant it would download.</summary>
public sealed class MediaSourceResolverOnlineTests : OriginTestBase
{
    protected override FakeMediaCatalog CreateCatalog() => new FakeMediaCatalog()
        .AddPhoneExercise("squat")
        .AddPhoneExercise("plank", form: FakeVariantForm.PlainUrl)
        .AddExercise("stretch", "Stretch", e => e.AddImage("medium", 3_000, FakeVariantForm.Rich))
        .AddWorkout("w-1", "Legs", DateTimeOffset.UtcNow.AddHours(2), "squat");

    [Fact]
    public async Task ResolveAsync_OnlineAndNotCached_GivesTheAbsoluteUrlThatServesTheMedia()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        var resolver = host.Resolver();

        var image = await resolver.ResolveAsync("plank", MediaKind.Image);
        var video = await resolver.ResolveAsync("plank", MediaKind.Video);
        var poster = await resolver.ResolvePosterAsync("plank");

        // The media JSON lists "/media/..." paths: resolved against ApiBaseAddress.
        await AssertRemoteAsync(image, "plank", FakeMediaKind.Image, MediaVariantNames.Medium);
        await AssertRemoteAsync(video, "plank", FakeMediaKind.Video, MediaVariantNames.Video720p);
        await AssertRemoteAsync(poster, "plank", FakeMediaKind.Video, MediaVariantNames.Poster);
        Assert.Empty(await host.Cache.GetEntriesAsync("plank"));
    }

    [Fact]
    public async Task ResolveAsync_OnlineAndCached_GivesTheLocalFileWithoutAskingTheOrigin()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        Assert.Equal(SyncOutcome.Complete, (await host.Scheduler.SyncUpcomingAsync()).Outcome);
        var requestsBefore = Origin.Requests.Count;
        var resolver = host.Resolver();

        var image = await resolver.ResolveAsync("squat", MediaKind.Image);
        var video = await resolver.ResolveAsync("squat", MediaKind.Video);
        var poster = await resolver.ResolvePosterAsync("squat");

        Assert.All([image, video, poster], r => Assert.Equal(MediaSourceKind.Local, r.Source));
        Assert.Equal(MediaVariantNames.Medium, image.Variant);
        Assert.Equal(MediaVariantNames.Video720p, video.Variant);
        Assert.Equal(MediaVariantNames.Poster, poster.Variant);
        Assert.All([image, video, poster], r => Assert.True(File.Exists(r.LocalPath)));
        Assert.Equal(requestsBefore, Origin.Requests.Count);
    }

    [Fact]
    public async Task ResolveAsync_VideoTheApiDoesNotOffer_IsUnavailableSayingSo()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        var resolver = host.Resolver();

        var video = await resolver.ResolveAsync("stretch", MediaKind.Video);
        var poster = await resolver.ResolvePosterAsync("stretch");
        var image = await resolver.ResolveAsync("stretch", MediaKind.Image);

        Assert.Equal(MediaSourceKind.Unavailable, video.Source);
        Assert.Equal(MediaKind.Video, video.Kind);
        Assert.Contains("offers no video", video.Reason, StringComparison.Ordinal);
        Assert.Equal(MediaSourceKind.Unavailable, poster.Source);
        Assert.Contains("offers no poster", poster.Reason, StringComparison.Ordinal);
        await AssertRemoteAsync(image, "stretch", FakeMediaKind.Image, MediaVariantNames.Medium);
    }

    [Fact]
    public async Task ResolveAsync_MediaApiFails_IsUnavailableWithTheReason()
    {
        Origin.Faults.Set(Origin.GetExerciseMediaUri("plank").AbsolutePath, FakeFault.Status(500));
        await using var host = new SyncHost(Root, Origin.BaseAddress);

        var image = await host.Resolver().ResolveAsync("plank", MediaKind.Image);

        Assert.Equal(MediaSourceKind.Unavailable, image.Source);
        Assert.Contains("could not be looked up", image.Reason, StringComparison.Ordinal);
        Assert.Contains("500", image.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_SameExerciseShownAgain_AsksTheMediaApiOnce()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        var resolver = host.Resolver();

        var first = await resolver.ResolveAsync("plank", MediaKind.Image);
        var second = await resolver.ResolveAsync("plank", MediaKind.Image);
        var video = await resolver.ResolveAsync("plank", MediaKind.Video);

        Assert.Equal(first.RemoteUrl, second.RemoteUrl);
        Assert.Equal(MediaSourceKind.Remote, video.Source);
        Assert.Equal(1, Origin.Requests.CountRequests(Origin.GetExerciseMediaUri("plank").AbsolutePath));
    }

    private async Task AssertRemoteAsync(ResolvedMedia resolved, string exerciseId, FakeMediaKind group, string variant)
    {
        var expected = Origin.Catalog.GetVariant(exerciseId, group, variant);
        Assert.Equal(MediaSourceKind.Remote, resolved.Source);
        Assert.True(resolved.IsAvailable);
        Assert.Equal(variant, resolved.Variant);
        Assert.Null(resolved.LocalPath);
        Assert.Null(resolved.Reason);
        Assert.NotNull(resolved.RemoteUrl);
        Assert.True(resolved.RemoteUrl.IsAbsoluteUri);
        Assert.Equal(Uri.UriSchemeHttp, resolved.RemoteUrl.Scheme);
        Assert.Equal(Origin.GetMediaUri(expected), resolved.RemoteUrl);
        Assert.Equal(expected.Sha256, await DisplayHostExtensions.FetchSha256Async(resolved.RemoteUrl));
    }
}
