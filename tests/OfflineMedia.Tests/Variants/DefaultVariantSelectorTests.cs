using OfflineMedia.Profiles;
using OfflineMedia.Testing;
using OfflineMedia.Variants;
using OfflineMedia.Variants.Internal;

namespace OfflineMedia.Tests.Variants;

public sealed class DefaultVariantSelectorTests
{
    private const long KB = 1024;
    private const long MB = 1024 * KB;
    private const long GiB = 1024 * MB;

    private const string AllImages = "thumbnail,small,medium,large,original";
    private const string AllVideos = "720p,1080p,original,poster";

    private readonly DefaultVariantSelector _selector = new();

    // ---- Images: the selection rules, at their boundaries ----

    [Theory]
    [InlineData(DeviceClass.Phone, 0L, "small")]
    [InlineData(DeviceClass.Phone, (2 * GiB) - 1, "small")]
    [InlineData(DeviceClass.Phone, 2 * GiB, "medium")]
    [InlineData(DeviceClass.Phone, 100 * GiB, "medium")]
    [InlineData(DeviceClass.Tablet, 0L, "medium")]
    [InlineData(DeviceClass.Tablet, (2 * GiB) - 1, "medium")]
    [InlineData(DeviceClass.Tablet, 100 * GiB, "medium")]
    [InlineData(DeviceClass.Desktop, 0L, "large")]
    [InlineData(DeviceClass.Desktop, (2 * GiB) - 1, "large")]
    [InlineData(DeviceClass.Desktop, 100 * GiB, "large")]
    public void SelectForDownload_FullImageLadder_TakesTheRuleVariantExactly(DeviceClass deviceClass, long freeBytes, string expected)
    {
        var selection = _selector.SelectForDownload(FullMedia(), Profile(deviceClass, freeBytes), VariantPreferences.Default);

        AssertChoice(selection.Image, VariantChoiceStatus.Exact, requested: expected, chosen: expected);
    }

    [Fact]
    public void SelectForDownload_StorageThresholds_AreTwoAndFiveGibibytes()
    {
        Assert.Equal(2 * GiB, DefaultVariantSelector.SmallImageStorageThreshold);
        Assert.Equal(5 * GiB, DefaultVariantSelector.HighVideoStorageThreshold);
    }

    // ---- Videos: Auto, at the 5 GiB boundary ----

    [Theory]
    [InlineData(DeviceClass.Phone, 0L, "720p")]
    [InlineData(DeviceClass.Phone, 5 * GiB, "720p")]
    [InlineData(DeviceClass.Phone, 100 * GiB, "720p")]
    [InlineData(DeviceClass.Tablet, (5 * GiB) - 1, "720p")]
    [InlineData(DeviceClass.Tablet, 5 * GiB, "1080p")]
    [InlineData(DeviceClass.Desktop, 0L, "720p")]
    [InlineData(DeviceClass.Desktop, (5 * GiB) - 1, "720p")]
    [InlineData(DeviceClass.Desktop, 5 * GiB, "1080p")]
    [InlineData(DeviceClass.Desktop, 100 * GiB, "1080p")]
    public void SelectForDownload_AutoQuality_TakesTheRuleVideo(DeviceClass deviceClass, long freeBytes, string expected)
    {
        var selection = _selector.SelectForDownload(FullMedia(), Profile(deviceClass, freeBytes), VariantPreferences.Default);

        AssertChoice(selection.Video, VariantChoiceStatus.Exact, requested: expected, chosen: expected);
    }

    [Fact]
    public void SelectForDownload_TabletWithLittleStorage_Takes720pVideoButMediumImage()
    {
        var selection = _selector.SelectForDownload(FullMedia(), Profile(DeviceClass.Tablet, 1 * GiB), VariantPreferences.Default);

        AssertChoice(selection.Image, VariantChoiceStatus.Exact, "medium", "medium");
        AssertChoice(selection.Video, VariantChoiceStatus.Exact, "720p", "720p");
    }

    [Fact]
    public void SelectForDownload_DesktopUnderFiveGibibytes_Takes720pVideoButLargeImage()
    {
        var selection = _selector.SelectForDownload(FullMedia(), Profile(DeviceClass.Desktop, (5 * GiB) - 1), VariantPreferences.Default);

        AssertChoice(selection.Image, VariantChoiceStatus.Exact, "large", "large");
        AssertChoice(selection.Video, VariantChoiceStatus.Exact, "720p", "720p");
    }

    // ---- Low/High override Auto ----

    [Theory]
    [InlineData(DeviceClass.Phone, 100 * GiB, VideoQuality.Low, "720p")]
    [InlineData(DeviceClass.Phone, 0L, VideoQuality.High, "1080p")]
    [InlineData(DeviceClass.Phone, 100 * GiB, VideoQuality.High, "1080p")]
    [InlineData(DeviceClass.Tablet, 0L, VideoQuality.High, "1080p")]
    [InlineData(DeviceClass.Tablet, 100 * GiB, VideoQuality.Low, "720p")]
    [InlineData(DeviceClass.Desktop, 100 * GiB, VideoQuality.Low, "720p")]
    [InlineData(DeviceClass.Desktop, 5 * GiB, VideoQuality.Low, "720p")]
    [InlineData(DeviceClass.Desktop, 0L, VideoQuality.High, "1080p")]
    [InlineData(DeviceClass.Desktop, (5 * GiB) - 1, VideoQuality.High, "1080p")]
    public void SelectForDownload_LowOrHighQuality_OverridesAuto(DeviceClass deviceClass, long freeBytes, VideoQuality quality, string expected)
    {
        var preferences = new VariantPreferences { VideoQuality = quality };

        var selection = _selector.SelectForDownload(FullMedia(), Profile(deviceClass, freeBytes), preferences);

        AssertChoice(selection.Video, VariantChoiceStatus.Exact, requested: expected, chosen: expected);
    }

    [Theory]
    [InlineData(VideoQuality.Low)]
    [InlineData(VideoQuality.High)]
    public void SelectForDownload_VideoQuality_DoesNotChangeTheImage(VideoQuality quality)
    {
        var preferences = new VariantPreferences { VideoQuality = quality };

        var selection = _selector.SelectForDownload(FullMedia(), Profile(DeviceClass.Phone, 1 * GiB), preferences);

        AssertChoice(selection.Image, VariantChoiceStatus.Exact, "small", "small");
    }

    // ---- Videos off ----

    [Theory]
    [InlineData(VideoQuality.Auto)]
    [InlineData(VideoQuality.Low)]
    [InlineData(VideoQuality.High)]
    public void SelectForDownload_VideosOff_TakesNoVideoButImageAndPoster(VideoQuality quality)
    {
        var preferences = new VariantPreferences { DownloadVideos = false, VideoQuality = quality };

        var selection = _selector.SelectForDownload(FullMedia(), Profile(DeviceClass.Desktop, 100 * GiB), preferences);

        Assert.Equal(VariantChoiceStatus.NotWanted, selection.Video.Status);
        Assert.Null(selection.Video.Requested);
        Assert.Null(selection.Video.Variant);
        Assert.False(selection.Video.HasVariant);
        Assert.Equal(0, selection.Video.EstimatedBytes);
        AssertChoice(selection.Image, VariantChoiceStatus.Exact, "large", "large");
        AssertChoice(selection.Poster, VariantChoiceStatus.Exact, "poster", "poster");
        Assert.Equal((1536 * KB) + (200 * KB), selection.EstimatedBytes);
    }

    [Fact]
    public void SelectForDownload_VideosOffAndNoVideosOffered_IsNotWantedRatherThanNotAvailable()
    {
        var preferences = new VariantPreferences { DownloadVideos = false };

        var selection = _selector.SelectForDownload(Media(AllImages, ""), Profile(DeviceClass.Phone, 0), preferences);

        Assert.Equal(VariantChoiceStatus.NotWanted, selection.Video.Status);
    }

    // ---- The poster ----

    [Theory]
    [InlineData(DeviceClass.Phone, 0L)]
    [InlineData(DeviceClass.Tablet, 100 * GiB)]
    [InlineData(DeviceClass.Desktop, 100 * GiB)]
    public void SelectForDownload_PosterOffered_IsAlwaysTaken(DeviceClass deviceClass, long freeBytes)
    {
        var media = FullMedia();

        var selection = _selector.SelectForDownload(media, Profile(deviceClass, freeBytes), VariantPreferences.Default);

        AssertChoice(selection.Poster, VariantChoiceStatus.Exact, "poster", "poster");
        Assert.Same(media.Poster, selection.Poster.Variant);
        Assert.Equal(200 * KB, selection.Poster.EstimatedBytes);
    }

    [Fact]
    public void SelectForDownload_PosterMissing_IsNotAvailableWithRequestedSet()
    {
        var selection = _selector.SelectForDownload(Media(AllImages, "720p,1080p,original"), Profile(DeviceClass.Phone, 0), VariantPreferences.Default);

        Assert.Equal(VariantChoiceStatus.NotAvailable, selection.Poster.Status);
        Assert.Equal("poster", selection.Poster.Requested);
        Assert.Null(selection.Poster.Variant);
        Assert.Equal(0, selection.Poster.EstimatedBytes);
        AssertChoice(selection.Video, VariantChoiceStatus.Exact, "720p", "720p");
    }

    [Fact]
    public void SelectForDownload_PosterListedUnderImages_IsFound()
    {
        var media = Media("thumbnail,small,medium,large,original,poster", "720p,1080p,original");

        var selection = _selector.SelectForDownload(media, Profile(DeviceClass.Tablet, 100 * GiB), VariantPreferences.Default);

        AssertChoice(selection.Poster, VariantChoiceStatus.Exact, "poster", "poster");
        Assert.Equal("/media/images/poster", selection.Poster.Variant!.Url);
    }

    [Fact]
    public void SelectForDownload_OnlyAPosterAmongVideos_GivesPosterButNoVideo()
    {
        var selection = _selector.SelectForDownload(Media(AllImages, "poster"), Profile(DeviceClass.Desktop, 100 * GiB), VariantPreferences.Default);

        AssertChoice(selection.Poster, VariantChoiceStatus.Exact, "poster", "poster");
        Assert.Equal(VariantChoiceStatus.NotAvailable, selection.Video.Status);
        Assert.Equal("1080p", selection.Video.Requested);
    }

    // ---- Missing variants: the nearest on the ladder, ties to the smaller ----

    [Theory]
    // The wanted rung missing from an otherwise full ladder.
    [InlineData(DeviceClass.Phone, 0L, "thumbnail,medium,large,original", "small", "thumbnail")]
    [InlineData(DeviceClass.Phone, 100 * GiB, "thumbnail,small,large,original", "medium", "small")]
    [InlineData(DeviceClass.Tablet, 0L, "thumbnail,small,large,original", "medium", "small")]
    [InlineData(DeviceClass.Desktop, 0L, "thumbnail,small,medium,original", "large", "medium")]
    // Ties at distance 2 go to the smaller.
    [InlineData(DeviceClass.Phone, 100 * GiB, "thumbnail,original", "medium", "thumbnail")]
    [InlineData(DeviceClass.Tablet, 0L, "thumbnail,original", "medium", "thumbnail")]
    // Nearer beats smaller.
    [InlineData(DeviceClass.Tablet, 0L, "thumbnail,large", "medium", "large")]
    [InlineData(DeviceClass.Desktop, 0L, "small,original", "large", "original")]
    [InlineData(DeviceClass.Phone, 0L, "medium,original", "small", "medium")]
    // Only larger available.
    [InlineData(DeviceClass.Phone, 0L, "original", "small", "original")]
    [InlineData(DeviceClass.Phone, 0L, "large,original", "small", "large")]
    [InlineData(DeviceClass.Tablet, 0L, "original", "medium", "original")]
    [InlineData(DeviceClass.Desktop, 0L, "original", "large", "original")]
    // Only smaller available.
    [InlineData(DeviceClass.Phone, 0L, "thumbnail", "small", "thumbnail")]
    [InlineData(DeviceClass.Tablet, 0L, "thumbnail,small", "medium", "small")]
    [InlineData(DeviceClass.Desktop, 0L, "thumbnail", "large", "thumbnail")]
    public void SelectForDownload_WantedImageMissing_TakesTheNearest(
        DeviceClass deviceClass, long freeBytes, string images, string requested, string chosen)
    {
        var selection = _selector.SelectForDownload(Media(images, AllVideos), Profile(deviceClass, freeBytes), VariantPreferences.Default);

        AssertChoice(selection.Image, VariantChoiceStatus.Nearest, requested, chosen);
    }

    [Theory]
    [InlineData(DeviceClass.Phone, VideoQuality.Auto, "1080p,original", "720p", "1080p")]
    [InlineData(DeviceClass.Phone, VideoQuality.Auto, "original", "720p", "original")]
    [InlineData(DeviceClass.Desktop, VideoQuality.Auto, "720p,original", "1080p", "720p")]
    [InlineData(DeviceClass.Desktop, VideoQuality.Auto, "720p", "1080p", "720p")]
    [InlineData(DeviceClass.Desktop, VideoQuality.Auto, "original", "1080p", "original")]
    [InlineData(DeviceClass.Phone, VideoQuality.High, "720p,original", "1080p", "720p")]
    [InlineData(DeviceClass.Desktop, VideoQuality.Low, "1080p", "720p", "1080p")]
    public void SelectForDownload_WantedVideoMissing_TakesTheNearest(
        DeviceClass deviceClass, VideoQuality quality, string videos, string requested, string chosen)
    {
        var preferences = new VariantPreferences { VideoQuality = quality };

        var selection = _selector.SelectForDownload(Media(AllImages, videos + ",poster"), Profile(deviceClass, 100 * GiB), preferences);

        AssertChoice(selection.Video, VariantChoiceStatus.Nearest, requested, chosen);
    }

    [Theory]
    [InlineData(DeviceClass.Phone, 0L, "small", "720p")]
    [InlineData(DeviceClass.Phone, 100 * GiB, "medium", "720p")]
    [InlineData(DeviceClass.Tablet, 100 * GiB, "medium", "1080p")]
    [InlineData(DeviceClass.Desktop, 100 * GiB, "large", "1080p")]
    public void SelectForDownload_NothingOffered_IsNotAvailableWithRequestedSet(DeviceClass deviceClass, long freeBytes, string image, string video)
    {
        var selection = _selector.SelectForDownload(ExerciseMediaInfo.Empty, Profile(deviceClass, freeBytes), VariantPreferences.Default);

        Assert.Equal(VariantChoiceStatus.NotAvailable, selection.Image.Status);
        Assert.Equal(image, selection.Image.Requested);
        Assert.Null(selection.Image.Variant);
        Assert.Equal(VariantChoiceStatus.NotAvailable, selection.Video.Status);
        Assert.Equal(video, selection.Video.Requested);
        Assert.Null(selection.Video.Variant);
        Assert.Equal(VariantChoiceStatus.NotAvailable, selection.Poster.Status);
        Assert.Equal(0, selection.EstimatedBytes);
    }

    [Fact]
    public void SelectForDownload_OnlyUnknownVariantNames_IsNotAvailable()
    {
        var media = Media("webp-large,avif,Small", "4k,hls,720P");

        var selection = _selector.SelectForDownload(media, Profile(DeviceClass.Phone, 0), VariantPreferences.Default);

        Assert.Equal(VariantChoiceStatus.NotAvailable, selection.Image.Status);
        Assert.Equal("small", selection.Image.Requested);
        Assert.Equal(VariantChoiceStatus.NotAvailable, selection.Video.Status);
        Assert.Equal("720p", selection.Video.Requested);
    }

    // ---- Estimates ----

    [Theory]
    [InlineData(MediaKind.Image, "thumbnail", 50 * KB)]
    [InlineData(MediaKind.Image, "small", 200 * KB)]
    [InlineData(MediaKind.Image, "medium", 500 * KB)]
    [InlineData(MediaKind.Image, "large", 1536 * KB)]
    [InlineData(MediaKind.Image, "original", 5 * MB)]
    [InlineData(MediaKind.Video, "720p", 10 * MB)]
    [InlineData(MediaKind.Video, "1080p", 25 * MB)]
    [InlineData(MediaKind.Video, "original", 80 * MB)]
    public void EstimatedBytes_NoServerSize_IsTheTypicalSizeOfTheChosenRung(MediaKind kind, string name, long expected)
    {
        var media = kind == MediaKind.Image ? Media(name, "") : Media("", name);

        var choice = _selector.SelectForStreaming(media, kind);

        Assert.Equal(name, choice.Variant?.Name);
        Assert.Equal(expected, choice.EstimatedBytes);
    }

    [Theory]
    [InlineData(MediaKind.Image, "thumbnail")]
    [InlineData(MediaKind.Image, "medium")]
    [InlineData(MediaKind.Image, "original")]
    [InlineData(MediaKind.Video, "720p")]
    [InlineData(MediaKind.Video, "original")]
    public void EstimatedBytes_ServerSize_IsTheServerSize(MediaKind kind, string name)
    {
        var variant = new MediaVariant(name, "/x", bytes: 12_345);
        var media = kind == MediaKind.Image ? new ExerciseMediaInfo([variant], []) : new ExerciseMediaInfo([], [variant]);

        var choice = _selector.SelectForStreaming(media, kind);

        Assert.Same(variant, choice.Variant);
        Assert.Equal(12_345, choice.EstimatedBytes);
    }

    [Fact]
    public void EstimatedBytes_ServerSaysZero_IsZero()
    {
        var media = new ExerciseMediaInfo([new MediaVariant("small", "/s", bytes: 0)], []);

        var selection = _selector.SelectForDownload(media, Profile(DeviceClass.Phone, 0), VariantPreferences.Default);

        Assert.Equal(0, selection.Image.EstimatedBytes);
    }

    [Fact]
    public void EstimatedBytes_ServerSizes_AreUsedForEachChoiceAndSummed()
    {
        var media = new ExerciseMediaInfo(
            [new MediaVariant("thumbnail", "/t", 40_000), new MediaVariant("medium", "/m", 480_000), new MediaVariant("original", "/o", 4_000_000)],
            [new MediaVariant("720p", "/7", 9_000_000), new MediaVariant("original", "/vo", 70_000_000), new MediaVariant("poster", "/p", 150_000)]);

        var selection = _selector.SelectForDownload(media, Profile(DeviceClass.Phone, 0), VariantPreferences.Default);

        // Phone short of storage wants small: thumbnail and medium tie, so the thumbnail (smaller).
        AssertChoice(selection.Image, VariantChoiceStatus.Nearest, "small", "thumbnail");
        Assert.Equal(40_000, selection.Image.EstimatedBytes);
        Assert.Equal(9_000_000, selection.Video.EstimatedBytes);
        Assert.Equal(150_000, selection.Poster.EstimatedBytes);
        Assert.Equal(40_000 + 9_000_000 + 150_000, selection.EstimatedBytes);
    }

    [Fact]
    public void EstimatedBytes_NearestWithoutServerSize_IsTheChosenRungsTypicalSizeNotTheRequested()
    {
        var selection = _selector.SelectForDownload(Media("original", "original"), Profile(DeviceClass.Phone, 0), VariantPreferences.Default);

        Assert.Equal(5 * MB, selection.Image.EstimatedBytes);
        Assert.Equal(80 * MB, selection.Video.EstimatedBytes);
    }

    [Theory]
    [InlineData(DeviceClass.Phone, 0L, (200 * KB) + (10 * MB) + (200 * KB))]
    [InlineData(DeviceClass.Phone, 100 * GiB, (500 * KB) + (10 * MB) + (200 * KB))]
    [InlineData(DeviceClass.Tablet, 100 * GiB, (500 * KB) + (25 * MB) + (200 * KB))]
    [InlineData(DeviceClass.Desktop, 100 * GiB, (1536 * KB) + (25 * MB) + (200 * KB))]
    [InlineData(DeviceClass.Desktop, 0L, (1536 * KB) + (10 * MB) + (200 * KB))]
    public void EstimatedBytes_FullLadderTypicalSizes_SumsImageVideoAndPoster(DeviceClass deviceClass, long freeBytes, long expected)
    {
        var selection = _selector.SelectForDownload(FullMedia(), Profile(deviceClass, freeBytes), VariantPreferences.Default);

        Assert.Equal(expected, selection.EstimatedBytes);
    }

    // ---- Streaming ----

    [Theory]
    [InlineData(MediaKind.Image, AllImages, VariantChoiceStatus.Exact, "original")]
    [InlineData(MediaKind.Image, "thumbnail,small,medium,large", VariantChoiceStatus.Nearest, "large")]
    [InlineData(MediaKind.Image, "thumbnail,small", VariantChoiceStatus.Nearest, "small")]
    [InlineData(MediaKind.Image, "thumbnail", VariantChoiceStatus.Nearest, "thumbnail")]
    [InlineData(MediaKind.Video, "720p,1080p,original", VariantChoiceStatus.Exact, "original")]
    [InlineData(MediaKind.Video, "720p,1080p", VariantChoiceStatus.Nearest, "1080p")]
    [InlineData(MediaKind.Video, "720p", VariantChoiceStatus.Nearest, "720p")]
    public void SelectForStreaming_TakesTheHighestQualityOffered(MediaKind kind, string names, VariantChoiceStatus status, string chosen)
    {
        var media = kind == MediaKind.Image ? Media(names, AllVideos) : Media(AllImages, names + ",poster");

        var choice = _selector.SelectForStreaming(media, kind);

        AssertChoice(choice, status, "original", chosen);
    }

    [Theory]
    [InlineData(MediaKind.Image)]
    [InlineData(MediaKind.Video)]
    public void SelectForStreaming_NothingOffered_IsNotAvailable(MediaKind kind)
    {
        var choice = _selector.SelectForStreaming(ExerciseMediaInfo.Empty, kind);

        Assert.Equal(VariantChoiceStatus.NotAvailable, choice.Status);
        Assert.Equal("original", choice.Requested);
        Assert.Null(choice.Variant);
        Assert.Equal(0, choice.EstimatedBytes);
    }

    [Fact]
    public void SelectForStreaming_VideoWithOnlyAPoster_IsNotAvailable()
    {
        var choice = _selector.SelectForStreaming(Media(AllImages, "poster"), MediaKind.Video);

        Assert.Equal(VariantChoiceStatus.NotAvailable, choice.Status);
    }

    // ---- Arguments ----

    [Fact]
    public void SelectForDownload_NullArguments_Throw()
    {
        var profile = Profile(DeviceClass.Phone, 0);

        Assert.Throws<ArgumentNullException>("media", () => _selector.SelectForDownload(null!, profile, VariantPreferences.Default));
        Assert.Throws<ArgumentNullException>("profile", () => _selector.SelectForDownload(FullMedia(), null!, VariantPreferences.Default));
        Assert.Throws<ArgumentNullException>("preferences", () => _selector.SelectForDownload(FullMedia(), profile, null!));
        Assert.Throws<ArgumentNullException>("media", () => _selector.SelectForStreaming(null!, MediaKind.Image));
    }

    // ---- Allocation ----

    [Fact]
    public void SelectForDownload_AfterWarmUp_AllocatesNothing()
    {
        var selector = _selector;
        var cases = new (ExerciseMediaInfo Media, DeviceProfile Profile, VariantPreferences Preferences)[]
        {
            (FullMedia(), Profile(DeviceClass.Phone, 1 * GiB), VariantPreferences.Default),
            (FullMedia(), Profile(DeviceClass.Tablet, 100 * GiB), new VariantPreferences { VideoQuality = VideoQuality.High }),
            (FullMedia(), Profile(DeviceClass.Desktop, 100 * GiB), new VariantPreferences { DownloadVideos = false }),
            (Media("thumbnail,original", "original"), Profile(DeviceClass.Phone, 1 * GiB), VariantPreferences.Default),
            (Media("thumbnail,original", "original"), Profile(DeviceClass.Desktop, 100 * GiB), VariantPreferences.Default),
            (ExerciseMediaInfo.Empty, Profile(DeviceClass.Tablet, 0), VariantPreferences.Default),
        };

        long sink = 0;
        for (var i = 0; i < 1_000; i++)
        {
            sink += selector.SelectForDownload(cases[i % cases.Length].Media, cases[i % cases.Length].Profile, cases[i % cases.Length].Preferences).EstimatedBytes;
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            sink += selector.SelectForDownload(cases[i % cases.Length].Media, cases[i % cases.Length].Profile, cases[i % cases.Length].Preferences).EstimatedBytes;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(sink > 0);
    }

    [Fact]
    public void SelectForStreaming_AfterWarmUp_AllocatesNothing()
    {
        var selector = _selector;
        var media = Media("thumbnail,small", "720p");

        long sink = 0;
        for (var i = 0; i < 1_000; i++)
        {
            sink += selector.SelectForStreaming(media, (MediaKind)(i & 1)).EstimatedBytes;
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            sink += selector.SelectForStreaming(media, (MediaKind)(i & 1)).EstimatedBytes;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(sink > 0);
    }

    // ---- Helpers ----

    private static DeviceProfile Profile(DeviceClass deviceClass, long freeBytes) => new(
        deviceClass,
        deviceClass switch
        {
            DeviceClass.Phone => 6.1,
            DeviceClass.Tablet => 8.3,
            _ => null,
        },
        freeBytes,
        FakeConnectivityProbe.WiFi);

    private static ExerciseMediaInfo FullMedia() => Media(AllImages, AllVideos);

    /// <summary>Media from comma-separated variant names, each at <c>/media/{kind}/{name}</c>, without server sizes.</summary>
    private static ExerciseMediaInfo Media(string images, string videos) => new(
        Variants(images, "images"),
        Variants(videos, "videos"));

    private static MediaVariant[] Variants(string names, string folder) =>
        names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => new MediaVariant(name, $"/media/{folder}/{name}"))
            .ToArray();

    private static void AssertChoice(VariantChoice choice, VariantChoiceStatus status, string requested, string chosen)
    {
        Assert.Equal(status, choice.Status);
        Assert.Equal(requested, choice.Requested);
        Assert.True(choice.HasVariant);
        Assert.Equal(chosen, choice.Variant.Name);
        Assert.True(choice.EstimatedBytes > 0);
    }
}
