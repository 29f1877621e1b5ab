using OfflineMedia.Variants;

namespace OfflineMedia.Tests.Variants;

public sealed class ExerciseMediaInfoTests
{
    [Fact]
    public void Constructor_UnorderedVariants_ListsThemSmallestFirst()
    {
        var media = new ExerciseMediaInfo(
            [V("original"), V("thumbnail"), V("large"), V("small"), V("medium")],
            [V("original"), V("poster"), V("1080p"), V("720p")]);

        Assert.Equal(["thumbnail", "small", "medium", "large", "original"], media.Images.Select(v => v.Name));
        Assert.Equal(["720p", "1080p", "original"], media.Videos.Select(v => v.Name));
        Assert.Equal("poster", media.Poster?.Name);
    }

    [Fact]
    public void Constructor_UnknownNames_AreIgnored()
    {
        var media = new ExerciseMediaInfo(
            [V("small"), V("webp-large"), V("Medium"), V("720p")],
            [V("4k"), V("1080p"), V("hls"), V("thumbnail")]);

        Assert.Equal(["small"], media.Images.Select(v => v.Name));
        Assert.Equal(["1080p"], media.Videos.Select(v => v.Name));
        Assert.Null(media.Poster);
        Assert.Null(media.Find(MediaKind.Image, "webp-large"));
        Assert.Null(media.Find(MediaKind.Video, "4k"));
    }

    [Theory]
    [InlineData("small", "images")]
    [InlineData("original", "images")]
    public void Constructor_DuplicateImage_Throws(string name, string paramName)
    {
        var ex = Assert.Throws<ArgumentException>(paramName, () => new ExerciseMediaInfo([V(name), V(name)], []));

        Assert.Contains($"'{name}'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("720p")]
    [InlineData("original")]
    [InlineData("poster")]
    public void Constructor_DuplicateVideo_Throws(string name)
    {
        var ex = Assert.Throws<ArgumentException>("videos", () => new ExerciseMediaInfo([], [V(name), V(name)]));

        Assert.Contains($"'{name}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_PosterUnderBothKinds_Throws()
    {
        Assert.Throws<ArgumentException>("videos", () => new ExerciseMediaInfo([V("poster")], [V("poster")]));
    }

    [Fact]
    public void Constructor_SameNameUnderBothKinds_IsNoDuplicate()
    {
        var media = new ExerciseMediaInfo([V("original", "/i/o")], [V("original", "/v/o")]);

        Assert.Equal("/i/o", media.Find(MediaKind.Image, "original")?.Url);
        Assert.Equal("/v/o", media.Find(MediaKind.Video, "original")?.Url);
    }

    [Fact]
    public void Constructor_DuplicateUnknownNames_AreIgnoredNotRejected()
    {
        var media = new ExerciseMediaInfo([V("webp"), V("webp")], [V("hls"), V("hls")]);

        Assert.Empty(media.Images);
        Assert.Empty(media.Videos);
    }

    [Fact]
    public void Constructor_NullLists_Throw()
    {
        Assert.Throws<ArgumentNullException>("images", () => new ExerciseMediaInfo(null!, []));
        Assert.Throws<ArgumentNullException>("videos", () => new ExerciseMediaInfo([], null!));
    }

    [Fact]
    public void Constructor_NullEntry_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>("images", () => new ExerciseMediaInfo([V("small"), null!], []));
        Assert.Throws<ArgumentNullException>("videos", () => new ExerciseMediaInfo([], [null!]));
    }

    [Fact]
    public void Find_KnownVariant_ReturnsItByKind()
    {
        var small = V("small");
        var video720 = V("720p");
        var media = new ExerciseMediaInfo([small], [video720]);

        Assert.Same(small, media.Find(MediaKind.Image, "small"));
        Assert.Same(video720, media.Find(MediaKind.Video, "720p"));
    }

    [Theory]
    [InlineData(MediaKind.Image, "720p")]
    [InlineData(MediaKind.Video, "small")]
    [InlineData(MediaKind.Image, "large")]
    [InlineData(MediaKind.Image, "")]
    [InlineData(MediaKind.Video, "unknown")]
    public void Find_NameNotOfferedForThatKind_ReturnsNull(MediaKind kind, string name)
    {
        var media = new ExerciseMediaInfo([V("small")], [V("720p")]);

        Assert.Null(media.Find(kind, name));
    }

    [Theory]
    [InlineData(MediaKind.Image, true)]
    [InlineData(MediaKind.Video, true)]
    [InlineData(MediaKind.Image, false)]
    [InlineData(MediaKind.Video, false)]
    public void Find_Poster_IsFoundUnderEitherKindWhereverListed(MediaKind kind, bool listedUnderImages)
    {
        var poster = V("poster");
        var media = listedUnderImages ? new ExerciseMediaInfo([poster], []) : new ExerciseMediaInfo([], [poster]);

        Assert.Same(poster, media.Poster);
        Assert.Same(poster, media.Find(kind, "poster"));
    }

    [Fact]
    public void Find_PosterMissing_ReturnsNull()
    {
        Assert.Null(ExerciseMediaInfo.Empty.Find(MediaKind.Video, "poster"));
    }

    [Fact]
    public void Find_NullName_Throws()
    {
        Assert.Throws<ArgumentNullException>("name", () => ExerciseMediaInfo.Empty.Find(MediaKind.Image, null!));
    }

    [Fact]
    public void PosterUnderImages_IsNotAnImageVariant()
    {
        var media = new ExerciseMediaInfo([V("poster"), V("small")], []);

        Assert.Equal(["small"], media.Images.Select(v => v.Name));
        Assert.NotNull(media.Poster);
    }

    [Fact]
    public void Empty_HasNoVariants()
    {
        Assert.Empty(ExerciseMediaInfo.Empty.Images);
        Assert.Empty(ExerciseMediaInfo.Empty.Videos);
        Assert.Null(ExerciseMediaInfo.Empty.Poster);
    }

    private static MediaVariant V(string name, string? url = null) => new(name, url ?? $"/media/{name}");
}
