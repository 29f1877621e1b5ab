using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using OfflineMedia.Cache;
using OfflineMedia.Catalog;
using OfflineMedia.Profiles;
using OfflineMedia.Resolution;
using OfflineMedia.Resolution.Internal;
using OfflineMedia.Testing;
using OfflineMedia.Variants;
using OfflineMedia.Variants.Internal;

namespace OfflineMedia.Tests.Resolution;

/// <summary>
/// The resolver's decisions with a dictionary-backed cache substitute, a substituted media client, and a device
/// profile each test sets: which source, which variant, what reason, and when the media API is asked.
/// </summary>
public sealed class DefaultMediaSourceResolverTests
{
    private const long Plenty = 100L * 1024 * 1024 * 1024;
    private static readonly Uri s_api = new("https://api.example.com/");

    private readonly Dictionary<MediaKey, CachedMedia> _cached = [];
    private readonly IMediaCache _cache = Substitute.For<IMediaCache>();
    private readonly IExerciseMediaClient _mediaClient = Substitute.For<IExerciseMediaClient>();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly OfflineMediaOptions _options = new() { ApiBaseAddress = s_api, CacheDirectory = Path.Combine(Path.GetTempPath(), "offline-media-unit") };
    private DeviceProfile _profile = new(DeviceClass.Phone, 6.1, Plenty, FakeConnectivityProbe.WiFi);

    public DefaultMediaSourceResolverTests()
    {
#pragma warning disable CA2012 // Configuring a substitute's ValueTask member: the call is recorded, never awaited.
        _cache.TryGetAsync(Arg.Any<MediaKey>(), Arg.Any<CancellationToken>())
            .Returns(ci => ValueTask.FromResult(_cached.GetValueOrDefault(ci.Arg<MediaKey>())));
#pragma warning restore CA2012
        _cache.GetEntriesAsync(Arg.Any<string>(), Arg.Any<CancellationToken>())
            .Returns(ci => Task.FromResult<IReadOnlyList<CachedMedia>>([.. _cached.Values.Where(m => m.Key.ExerciseId == ci.Arg<string>())]));
        _mediaClient.GetMediaAsync("squat", Arg.Any<CancellationToken>()).Returns(Task.FromResult(Ladder("squat")));
    }

    [Fact]
    public async Task ResolveAsync_PhoneOnlineNotCached_StreamsTheVariantItWouldDownloadResolvedAgainstTheApi()
    {
        var image = await Resolver().ResolveAsync("squat", MediaKind.Image);
        var video = await Resolver().ResolveAsync("squat", MediaKind.Video);

        Assert.Equal(MediaSourceKind.Remote, image.Source);
        Assert.Equal(MediaVariantNames.Medium, image.Variant);
        Assert.Equal(new Uri("https://api.example.com/media/squat/medium.jpg"), image.RemoteUrl);
        Assert.Equal(MediaVariantNames.Video720p, video.Variant);
        Assert.Equal(new Uri("https://cdn.example.com/squat/720p.mp4"), video.RemoteUrl);
    }

    [Theory]
    [InlineData(DeviceClass.Phone, Plenty, "small,medium,large", "medium")]
    [InlineData(DeviceClass.Phone, 1L * 1024 * 1024 * 1024, "small,medium,large", "small")]
    [InlineData(DeviceClass.Phone, Plenty, "thumbnail,large", "large")]
    [InlineData(DeviceClass.Phone, Plenty, "thumbnail,original", "thumbnail")]
    [InlineData(DeviceClass.Tablet, Plenty, "small,large,original", "small")]
    [InlineData(DeviceClass.Tablet, Plenty, "thumbnail,large,original", "large")]
    [InlineData(DeviceClass.Desktop, Plenty, "thumbnail,large,original", "large")]
    [InlineData(DeviceClass.Desktop, Plenty, "medium,original", "medium")]
    public async Task ResolveAsync_OfflineImage_GivesTheCachedVariantTheProfileWouldPickElseTheNearest(
        DeviceClass device, long freeBytes, string cached, string expected)
    {
        _profile = new DeviceProfile(device, device == DeviceClass.Phone ? 6.1 : 11, freeBytes, ConnectivityState.Offline);
        foreach (var variant in cached.Split(','))
        {
            Cache("squat", MediaKind.Image, variant);
        }

        var image = await Resolver().ResolveAsync("squat", MediaKind.Image);

        Assert.Equal(MediaSourceKind.Local, image.Source);
        Assert.Equal(expected, image.Variant);
        Assert.Equal(_cached[new("squat", MediaKind.Image, expected)].LocalPath, image.LocalPath);
        await _mediaClient.DidNotReceiveWithAnyArgs().GetMediaAsync(default!, default);
    }

    [Theory]
    [InlineData(DeviceClass.Phone, Plenty, "720p")]
    [InlineData(DeviceClass.Tablet, Plenty, "1080p")]
    [InlineData(DeviceClass.Tablet, 1L * 1024 * 1024 * 1024, "720p")]
    public async Task ResolveAsync_OfflineVideo_GivesTheQualityTheProfileWouldPick(DeviceClass device, long freeBytes, string expected)
    {
        _profile = new DeviceProfile(device, device == DeviceClass.Phone ? 6.1 : 8.3, freeBytes, ConnectivityState.Offline);
        Cache("squat", MediaKind.Video, "720p");
        Cache("squat", MediaKind.Video, "1080p");
        Cache("squat", MediaKind.Image, "poster");

        var video = await Resolver().ResolveAsync("squat", MediaKind.Video);
        var poster = await Resolver().ResolvePosterAsync("squat");

        Assert.Equal(expected, video.Variant);
        Assert.Equal(MediaSourceKind.Local, poster.Source);
        Assert.Equal(MediaVariantNames.Poster, poster.Variant);
        Assert.Equal(MediaKind.Image, poster.Kind);
    }

    [Fact]
    public async Task ResolveAsync_VideosTurnedOff_StillShowsACachedVideoAndStreamsOnline()
    {
        _options.DownloadVideos = false;
        Cache("squat", MediaKind.Video, "720p");

        var cached = await Resolver().ResolveAsync("squat", MediaKind.Video);
        _cached.Clear();
        var streamed = await Resolver().ResolveAsync("squat", MediaKind.Video);

        Assert.Equal(MediaSourceKind.Local, cached.Source);
        Assert.Equal(MediaSourceKind.Remote, streamed.Source);
        Assert.Equal(MediaVariantNames.Video720p, streamed.Variant);
    }

    [Fact]
    public async Task ResolveAsync_OfflineAndNotCached_IsUnavailableWithoutAskingTheApi()
    {
        _profile = _profile with { Connectivity = ConnectivityState.Offline };
        Cache("squat", MediaKind.Image, "medium"); // An image is not a video.

        var video = await Resolver().ResolveAsync("squat", MediaKind.Video);

        Assert.Equal(MediaSourceKind.Unavailable, video.Source);
        Assert.Equal("The video is not available offline.", video.Reason);
        await _mediaClient.DidNotReceiveWithAnyArgs().GetMediaAsync(default!, default);
    }

    [Fact]
    public async Task ResolveAsync_DesktopOnlineApiFails_FallsBackToTheCachedFile()
    {
        _profile = new DeviceProfile(DeviceClass.Desktop, null, Plenty, FakeConnectivityProbe.WiFi);
        _mediaClient.GetMediaAsync("squat", Arg.Any<CancellationToken>()).ThrowsAsync(new CatalogException(CatalogError.HttpStatus, "The server answered 503."));
        Cache("squat", MediaKind.Image, "medium");

        var image = await Resolver().ResolveAsync("squat", MediaKind.Image);

        Assert.Equal(MediaSourceKind.Local, image.Source);
        Assert.Equal(MediaVariantNames.Medium, image.Variant);
    }

    [Fact]
    public async Task ResolveAsync_DesktopOnlineApiFailsAndNothingCached_IsUnavailableAfterAskingTheApiOnce()
    {
        _profile = new DeviceProfile(DeviceClass.Desktop, null, Plenty, FakeConnectivityProbe.WiFi);
        _mediaClient.GetMediaAsync("squat", Arg.Any<CancellationToken>()).ThrowsAsync(new CatalogException(CatalogError.HttpStatus, "The server answered 503."));

        var image = await Resolver().ResolveAsync("squat", MediaKind.Image);

        Assert.Equal(MediaSourceKind.Unavailable, image.Source);
        Assert.Contains("The server answered 503.", image.Reason, StringComparison.Ordinal);
        await _mediaClient.Received(1).GetMediaAsync("squat", Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ResolveAsync_MediaApiDoesNotAnswer_IsUnavailableOnceTheApiTimeoutPasses()
    {
        var never = new TaskCompletionSource<ExerciseMediaInfo>();
        _mediaClient.GetMediaAsync("squat", Arg.Any<CancellationToken>()).Returns(never.Task);

        var resolving = Resolver().ResolveAsync("squat", MediaKind.Image).AsTask();
        await Task.Delay(50);
        Assert.False(resolving.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(10));
        var image = await resolving.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(MediaSourceKind.Unavailable, image.Source);
        Assert.Contains("did not answer in time", image.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_MediaInfo_IsRememberedForFiveMinutes()
    {
        var resolver = Resolver();

        await resolver.ResolveAsync("squat", MediaKind.Image);
        await resolver.ResolveAsync("squat", MediaKind.Video);
        await resolver.ResolvePosterAsync("squat");
        _time.Advance(TimeSpan.FromMinutes(4));
        await resolver.ResolveAsync("squat", MediaKind.Image);
        await _mediaClient.Received(1).GetMediaAsync("squat", Arg.Any<CancellationToken>());

        _time.Advance(TimeSpan.FromMinutes(1));
        await resolver.ResolveAsync("squat", MediaKind.Image);
        await _mediaClient.Received(2).GetMediaAsync("squat", Arg.Any<CancellationToken>());
    }

    [Theory]
    [InlineData("/media/squat/medium.jpg", null, "no ApiBaseAddress")]
    [InlineData("ftp://files.example.com/squat/medium.jpg", "https://api.example.com/", "not an http or https URL")]
    [InlineData("file:///etc/passwd", "https://api.example.com/", "not an http or https URL")]
    public async Task ResolveAsync_UrlThatCannotBeStreamed_IsUnavailableSayingWhy(string url, string? api, string reason)
    {
        _options.ApiBaseAddress = api is null ? null : new Uri(api);
        _mediaClient.GetMediaAsync("squat", Arg.Any<CancellationToken>())
            .Returns(Task.FromResult(new ExerciseMediaInfo([new MediaVariant("medium", url)], [])));

        var image = await Resolver().ResolveAsync("squat", MediaKind.Image);

        Assert.Equal(MediaSourceKind.Unavailable, image.Source);
        Assert.Null(image.RemoteUrl);
        Assert.Contains(reason, image.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_SignedUrlThatCannotBeStreamed_ReasonHoldsNoQuery()
    {
        _options.ApiBaseAddress = null;
        _mediaClient.GetMediaAsync("squat", Arg.Any<CancellationToken>())
            .Returns(Task.FromResult(new ExerciseMediaInfo([new MediaVariant("medium", "/cdn/squat/medium.jpg?sig=secret&exp=1")], [])));

        var image = await Resolver().ResolveAsync("squat", MediaKind.Image);

        Assert.Equal(MediaSourceKind.Unavailable, image.Source);
        Assert.DoesNotContain("sig=", image.Reason, StringComparison.Ordinal);
        Assert.Contains("/cdn/squat/medium.jpg", image.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task ResolveAsync_NoExerciseId_Throws(string? exerciseId)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Resolver().ResolveAsync(exerciseId!, MediaKind.Image).AsTask());
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Resolver().ResolvePosterAsync(exerciseId!).AsTask());
    }

    private static ExerciseMediaInfo Ladder(string id) => new(
        [
            new MediaVariant("thumbnail", $"/media/{id}/thumbnail.jpg"),
            new MediaVariant("small", $"/media/{id}/small.jpg"),
            new MediaVariant("medium", $"/media/{id}/medium.jpg"),
            new MediaVariant("large", $"/media/{id}/large.jpg"),
        ],
        [
            new MediaVariant("720p", $"https://cdn.example.com/{id}/720p.mp4"),
            new MediaVariant("1080p", $"https://cdn.example.com/{id}/1080p.mp4"),
            new MediaVariant("poster", $"/media/{id}/poster.jpg"),
        ]);

    private void Cache(string exerciseId, MediaKind kind, string variant)
    {
        var key = new MediaKey(exerciseId, kind, variant);
        _cached[key] = new CachedMedia
        {
            Key = key,
            LocalPath = Path.Combine(_options.CacheDirectory, "media", kind.ToString(), exerciseId, variant),
            SourceUrl = $"/media/{exerciseId}/{variant}",
            Bytes = 1_000,
            Sha256 = new string('0', 64),
            CachedAt = _time.GetUtcNow(),
            LastAccessedAt = _time.GetUtcNow(),
        };
    }

    private DefaultMediaSourceResolver Resolver()
    {
        var profiles = Substitute.For<IDeviceProfileProvider>();
        profiles.GetProfile().Returns(_ => _profile);
        var monitor = Substitute.For<IOptionsMonitor<OfflineMediaOptions>>();
        monitor.CurrentValue.Returns(_options);
        return new DefaultMediaSourceResolver(_cache, profiles, _mediaClient, new DefaultVariantSelector(), monitor, _time, NullLogger<DefaultMediaSourceResolver>.Instance);
    }
}
