using System.Diagnostics;
using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Resolution;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Resolution;

/// <summary>
/// In the gym without network a phone shows only what is on the device, or "not available offline": it never
/// waits on the network, and the origin sees no request at all.
/// </summary>
public sealed class MediaSourceResolverOfflineTests : OriginTestBase
{
    protected override FakeMediaCatalog CreateCatalog() => new FakeMediaCatalog()
        .AddPhoneExercise("squat")
        .AddPhoneExercise("lunge", image: 3_000, video: 30_000)
        .AddPhoneExercise("plank")
        .AddExercise("row", "Row", e => e
            .AddImage("thumbnail", 500, FakeVariantForm.Rich)
            .AddImage("medium", 4_000, FakeVariantForm.Rich)
            .AddImage("large", 12_000, FakeVariantForm.Rich)
            .AddImage("original", 30_000, FakeVariantForm.Rich)
            .AddVideo("720p", 40_000, FakeVariantForm.Rich)
            .AddVideo("1080p", 80_000, FakeVariantForm.Rich)
            .AddVideo("poster", 2_000, FakeVariantForm.Rich))
        .AddWorkout("w-1", "Legs", DateTimeOffset.UtcNow.AddHours(2), "squat", "lunge");

    [Fact]
    public async Task ResolveAsync_OfflineAfterSync_GivesTheCachedVariantsPromptlyWithoutAnyRequest()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        var report = await host.Scheduler.SyncUpcomingAsync();
        Assert.Equal(SyncOutcome.Complete, report.Outcome);

        // Were the SDK to ask the origin now, the answer would take 10 s.
        Origin.Faults.Set("/*", FakeFault.Delay(TimeSpan.FromSeconds(10)));
        host.Network.Set(FakeConnectivityProbe.Offline);
        var requestsBefore = Origin.Requests.Count;
        var resolver = host.Resolver();
        var clock = Stopwatch.StartNew();

        foreach (var exercise in new[] { "squat", "lunge" })
        {
            var image = await resolver.ResolveAsync(exercise, MediaKind.Image);
            var video = await resolver.ResolveAsync(exercise, MediaKind.Video);
            var poster = await resolver.ResolvePosterAsync(exercise);

            AssertLocal(image, exercise, FakeMediaKind.Image, MediaVariantNames.Medium);
            AssertLocal(video, exercise, FakeMediaKind.Video, MediaVariantNames.Video720p);
            AssertLocal(poster, exercise, FakeMediaKind.Video, MediaVariantNames.Poster);
            Assert.Equal(MediaKind.Image, poster.Kind);
        }

        var missingImage = await resolver.ResolveAsync("plank", MediaKind.Image);
        var missingVideo = await resolver.ResolveAsync("plank", MediaKind.Video);
        var missingPoster = await resolver.ResolvePosterAsync("plank");
        clock.Stop();

        AssertUnavailable(missingImage, "image");
        AssertUnavailable(missingVideo, "video");
        AssertUnavailable(missingPoster, "poster");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"Resolving offline took {clock.Elapsed}.");
        Assert.Equal(requestsBefore, Origin.Requests.Count);
    }

    [Fact]
    public async Task ResolveAsync_OfflineAndTheWantedVariantNotCached_GivesTheNearestCachedVariant()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        var catalog = Origin.Catalog;

        // A phone wants medium and 720p; the device holds other variants from earlier (a tablet's, a thumbnail list's).
        await host.CacheAsync(catalog.GetVariant("row", FakeMediaKind.Image, "thumbnail"));
        await host.CacheAsync(catalog.GetVariant("row", FakeMediaKind.Image, "large"));
        await host.CacheAsync(catalog.GetVariant("row", FakeMediaKind.Image, "original"));
        await host.CacheAsync(catalog.GetVariant("row", FakeMediaKind.Video, "1080p"));
        host.Network.Set(FakeConnectivityProbe.Offline);
        var requestsBefore = Origin.Requests.Count;
        var resolver = host.Resolver();

        var image = await resolver.ResolveAsync("row", MediaKind.Image);
        var video = await resolver.ResolveAsync("row", MediaKind.Video);
        var poster = await resolver.ResolvePosterAsync("row");

        AssertLocal(image, "row", FakeMediaKind.Image, MediaVariantNames.Large);
        AssertLocal(video, "row", FakeMediaKind.Video, MediaVariantNames.Video1080p);
        AssertUnavailable(poster, "poster");
        Assert.Equal(requestsBefore, Origin.Requests.Count);
    }

    [Fact]
    public async Task ResolveAsync_OfflineAndTheCachedFileWasDeleted_IsUnavailableRatherThanAMissingPath()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        var cached = await host.CacheAsync(Origin.Catalog.GetVariant("row", FakeMediaKind.Image, "medium"));
        host.Network.Set(FakeConnectivityProbe.Offline);
        File.Delete(cached.LocalPath);

        var image = await host.Resolver().ResolveAsync("row", MediaKind.Image);

        AssertUnavailable(image, "image");
    }

    [Fact]
    public async Task ResolveAsync_BehindACaptivePortal_CountsAsOfflineAndMakesNoRequest()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        await host.CacheAsync(Origin.Catalog.GetVariant("squat", FakeMediaKind.Image, "medium"));
        host.Network.Set(FakeConnectivityProbe.CaptivePortal);
        var requestsBefore = Origin.Requests.Count;
        var resolver = host.Resolver();

        var cached = await resolver.ResolveAsync("squat", MediaKind.Image);
        var notCached = await resolver.ResolveAsync("plank", MediaKind.Image);

        AssertLocal(cached, "squat", FakeMediaKind.Image, MediaVariantNames.Medium);
        AssertUnavailable(notCached, "image");
        Assert.Contains("does not reach the internet", notCached.Reason, StringComparison.Ordinal);
        Assert.Equal(requestsBefore, Origin.Requests.Count);
    }

    private void AssertLocal(ResolvedMedia resolved, string exerciseId, FakeMediaKind group, string variant)
    {
        Assert.Equal(MediaSourceKind.Local, resolved.Source);
        Assert.True(resolved.IsAvailable);
        Assert.Equal(exerciseId, resolved.ExerciseId);
        Assert.Equal(variant, resolved.Variant);
        Assert.Null(resolved.RemoteUrl);
        Assert.Null(resolved.Reason);
        Assert.NotNull(resolved.LocalPath);
        Assert.True(Path.IsPathFullyQualified(resolved.LocalPath));
        Assert.StartsWith(Path.GetFullPath(Root), resolved.LocalPath, StringComparison.Ordinal);
        Assert.True(File.Exists(resolved.LocalPath), $"{resolved.LocalPath} does not exist.");
        Assert.Equal(Origin.Catalog.GetVariant(exerciseId, group, variant).Sha256, CacheFolder.Sha256(resolved.LocalPath));
    }

    private static void AssertUnavailable(ResolvedMedia resolved, string what)
    {
        Assert.Equal(MediaSourceKind.Unavailable, resolved.Source);
        Assert.False(resolved.IsAvailable);
        Assert.Null(resolved.LocalPath);
        Assert.Null(resolved.RemoteUrl);
        Assert.Null(resolved.Variant);
        Assert.Contains($"The {what} is not available offline", resolved.Reason, StringComparison.Ordinal);
    }
}
