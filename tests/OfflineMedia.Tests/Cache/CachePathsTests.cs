using System.IO.Abstractions;
using System.IO.Abstractions.TestingHelpers;
using System.Text.RegularExpressions;
using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;
using OfflineMedia.Variants;

namespace OfflineMedia.Tests.Cache;

public sealed partial class CachePathsTests
{
    private readonly FileSystem _fileSystem = new();
    private readonly string _root = Path.Combine(Path.GetTempPath(), "offlinemedia-paths-" + Guid.NewGuid().ToString("N"));

    // ---- Names: plain tokens kept, anything else hashed ----

    [Theory]
    [InlineData("squat")]
    [InlineData("exercise-123")]
    [InlineData("720p")]
    [InlineData("a.b_c-d")]
    [InlineData("original")]
    [InlineData("0")]
    public void Segment_PlainLowercaseToken_IsKept(string part)
    {
        Assert.True(CachePaths.IsPlainToken(part));
        Assert.Equal(part, CachePaths.Segment(part));
    }

    [Fact]
    public void Segment_SixtyFourCharacters_IsKept()
    {
        var part = new string('a', 64);

        Assert.Equal(part, CachePaths.Segment(part));
    }

    [Theory]
    [InlineData("Squat")]
    [InlineData("SQUAT")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a..b")]
    [InlineData("C:")]
    [InlineData("c:")]
    [InlineData("/etc/passwd")]
    [InlineData("C:\\Windows\\win.ini")]
    [InlineData("\\\\server\\share")]
    [InlineData("squat.")]
    [InlineData("con")]
    [InlineData("NUL")]
    [InlineData("nul")]
    [InlineData("nul.txt")]
    [InlineData("com1")]
    [InlineData("lpt9.mp4")]
    [InlineData("prn")]
    [InlineData("aux.jpg")]
    [InlineData("süß")]
    [InlineData("приседания")]
    [InlineData("squat\u200b")]
    [InlineData("-squat")]
    [InlineData("_squat")]
    [InlineData(".hidden")]
    [InlineData("a b")]
    [InlineData("a:b")]
    [InlineData("a*b")]
    public void Segment_NotAPlainToken_IsUnderscoreAndThirtyTwoHex(string part)
    {
        var segment = CachePaths.Segment(part);

        Assert.False(CachePaths.IsPlainToken(part));
        Assert.Matches(HashedSegment(), segment);
    }

    [Fact]
    public void Segment_SixtyFiveCharacters_IsHashed()
    {
        Assert.Matches(HashedSegment(), CachePaths.Segment(new string('a', 65)));
    }

    [Theory]
    [InlineData("con1")]
    [InlineData("com10")]
    [InlineData("console")]
    [InlineData("nully")]
    public void Segment_NameThatOnlyStartsLikeAReservedOne_IsKept(string part)
    {
        Assert.Equal(part, CachePaths.Segment(part));
    }

    [Fact]
    public void Segment_CaseVariants_AreDistinctFiles()
    {
        var lower = CachePaths.Segment("squat");
        var upper = CachePaths.Segment("Squat");
        var shout = CachePaths.Segment("SQUAT");

        Assert.Equal(3, new HashSet<string>([lower, upper, shout], StringComparer.OrdinalIgnoreCase).Count);
    }

    [Fact]
    public void Segment_SameInput_IsStable()
    {
        Assert.Equal(CachePaths.Segment("Squat"), CachePaths.Segment("Squat"));
        Assert.NotEqual(CachePaths.Segment("Squat"), CachePaths.Segment("Lunge"));
    }

    // ---- Validate ----

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("   ")]
    [InlineData("\t")]
    public void Validate_EmptyOrWhitespaceId_ThrowsInvalidKey(string id)
    {
        var key = new MediaKey(id, MediaKind.Image, "small");

        var error = Assert.Throws<MediaCacheException>(() => CachePaths.Validate(key));

        Assert.Equal(MediaCacheError.InvalidKey, error.Error);
        Assert.Equal(key, error.Key);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Validate_EmptyOrWhitespaceVariant_ThrowsInvalidKey(string variant)
    {
        var error = Assert.Throws<MediaCacheException>(() => CachePaths.Validate(new MediaKey("squat", MediaKind.Video, variant)));

        Assert.Equal(MediaCacheError.InvalidKey, error.Error);
    }

    [Fact]
    public void Validate_DefaultKey_ThrowsInvalidKey()
    {
        var error = Assert.Throws<MediaCacheException>(() => CachePaths.Validate(default));

        Assert.Equal(MediaCacheError.InvalidKey, error.Error);
    }

    [Theory]
    [InlineData("squat\0")]
    [InlineData("a\nb")]
    [InlineData("a\rb")]
    [InlineData("\u0001squat")]
    [InlineData("squat\u007f")]
    [InlineData("squat\u0085")]
    [InlineData("squat\u009f")]
    public void Validate_ControlCharacter_ThrowsInvalidKey(string part)
    {
        var inId = Assert.Throws<MediaCacheException>(() => CachePaths.Validate(new MediaKey(part, MediaKind.Image, "small")));
        var inVariant = Assert.Throws<MediaCacheException>(() => CachePaths.Validate(new MediaKey("squat", MediaKind.Image, part)));

        Assert.Equal(MediaCacheError.InvalidKey, inId.Error);
        Assert.Equal(MediaCacheError.InvalidKey, inVariant.Error);
    }

    [Fact]
    public void Validate_PartOfMaxLength_IsAccepted()
    {
        var part = new string('x', CachePaths.MaxKeyPartLength);

        CachePaths.Validate(new MediaKey(part, MediaKind.Image, part));
    }

    [Fact]
    public void Validate_PartOverMaxLength_ThrowsInvalidKey()
    {
        var part = new string('x', CachePaths.MaxKeyPartLength + 1);

        var inId = Assert.Throws<MediaCacheException>(() => CachePaths.Validate(new MediaKey(part, MediaKind.Image, "small")));
        var inVariant = Assert.Throws<MediaCacheException>(() => CachePaths.Validate(new MediaKey("squat", MediaKind.Image, part)));

        Assert.Equal(MediaCacheError.InvalidKey, inId.Error);
        Assert.Equal(MediaCacheError.InvalidKey, inVariant.Error);
    }

    [Fact]
    public void Validate_UndefinedKind_ThrowsInvalidKey()
    {
        var error = Assert.Throws<MediaCacheException>(() => CachePaths.Validate(new MediaKey("squat", (MediaKind)7, "small")));

        Assert.Equal(MediaCacheError.InvalidKey, error.Error);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("Squat")]
    [InlineData("con")]
    [InlineData("приседания")]
    [InlineData("C:\\x")]
    public void Validate_HostileButPrintable_IsAccepted(string part)
    {
        // Such names are legal keys: the paths hash them instead.
        CachePaths.Validate(new MediaKey(part, MediaKind.Video, part));
    }

    // ---- Layout and Resolve ----

    [Fact]
    public void Constructor_RelativeRoot_IsMadeFullWithItsFiles()
    {
        var paths = new CachePaths(_fileSystem, _root);

        Assert.Equal(Path.GetFullPath(_root), paths.Root);
        Assert.Equal(Path.Combine(paths.Root, "index.db"), paths.IndexFile);
        Assert.Equal(Path.Combine(paths.Root, "media"), paths.MediaDirectory);
        Assert.Equal(Path.Combine(paths.Root, "tmp"), paths.TempDirectory);
    }

    [Fact]
    public void Resolve_PathBuiltForAKey_LiesUnderTheRoot()
    {
        var paths = new CachePaths(_fileSystem, _root);
        var relative = paths.RelativeMediaPath(new MediaKey("exercise-123", MediaKind.Image, "small"), "https://cdn.example.com/a.webp");

        var full = paths.Resolve(relative);

        Assert.Equal(Path.Combine(paths.Root, "media", "image", "exercise-123", "small.webp"), full);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData("../../x")]
    [InlineData("media/../../x")]
    [InlineData("/etc/passwd")]
    [InlineData("/")]
    public void Resolve_PathEscapingTheRoot_ThrowsInvalidKey(string relative)
    {
        var paths = new CachePaths(_fileSystem, _root);

        var error = Assert.Throws<MediaCacheException>(() => paths.Resolve(relative));

        Assert.Equal(MediaCacheError.InvalidKey, error.Error);
    }

    [Fact]
    public void Resolve_SiblingFolderSharingTheRootsName_ThrowsInvalidKey()
    {
        var paths = new CachePaths(_fileSystem, _root);
        var sibling = "../" + Path.GetFileName(_root) + "-evil/x.jpg";

        Assert.Throws<MediaCacheException>(() => paths.Resolve(sibling));
    }

    [Fact]
    public void Resolve_RootWithTrailingSeparator_StillChecksContainment()
    {
        var paths = new CachePaths(_fileSystem, _root + Path.DirectorySeparatorChar);

        Assert.StartsWith(paths.Root, paths.Resolve("media/x.jpg"), StringComparison.Ordinal);
        Assert.Throws<MediaCacheException>(() => paths.Resolve("../x"));
    }

    [Fact]
    public void Resolve_DotSegmentsThatStayInside_AreNormalized()
    {
        var paths = new CachePaths(_fileSystem, _root);

        Assert.Equal(Path.Combine(paths.Root, "media", "x.jpg"), paths.Resolve("media/./sub/../x.jpg"));
    }

    [Fact]
    public void Relative_FullPathUnderTheRoot_IsTheRelativePath()
    {
        var paths = new CachePaths(_fileSystem, _root);

        Assert.Equal(Path.Combine("media", "x.jpg"), paths.Relative(Path.Combine(paths.Root, "media", "x.jpg")));
    }

    [Fact]
    public void RelativeMediaPath_HostileKey_StaysInOneFolderUnderMedia()
    {
        var paths = new CachePaths(_fileSystem, _root);
        var key = new MediaKey("../../etc", MediaKind.Video, "..\\..\\passwd");

        var relative = paths.RelativeMediaPath(key, "https://cdn.example.com/v.mp4");
        var parts = relative.Split(Path.DirectorySeparatorChar);

        Assert.Equal(4, parts.Length);
        Assert.Equal(["media", "video"], parts[..2]);
        Assert.Matches(HashedSegment(), parts[2]);
        Assert.Matches(HashedSegment(), Path.GetFileNameWithoutExtension(parts[3]));
        Assert.Equal(".mp4", Path.GetExtension(parts[3]));
        Assert.StartsWith(paths.MediaDirectory + Path.DirectorySeparatorChar, paths.Resolve(relative), StringComparison.Ordinal);
    }

    [Fact]
    public void RelativeMediaPath_KeysDifferingInCase_AreDifferentFiles()
    {
        var paths = new CachePaths(_fileSystem, _root);

        var lower = paths.RelativeMediaPath(new MediaKey("squat", MediaKind.Image, "small"), "x.jpg");
        var upper = paths.RelativeMediaPath(new MediaKey("Squat", MediaKind.Image, "small"), "x.jpg");

        Assert.False(string.Equals(lower, upper, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void RelativeMediaPath_ImageAndVideoOfOneVariantName_AreDifferentFolders()
    {
        var paths = new CachePaths(_fileSystem, _root);

        var image = paths.RelativeMediaPath(new MediaKey("squat", MediaKind.Image, "original"), "https://cdn.example.com/a");
        var video = paths.RelativeMediaPath(new MediaKey("squat", MediaKind.Video, "original"), "https://cdn.example.com/a");

        Assert.Equal(Path.Combine("media", "image", "squat", "original.jpg"), image);
        Assert.Equal(Path.Combine("media", "video", "squat", "original.mp4"), video);
    }

    // ---- Extension rules ----

    [Theory]
    [InlineData("https://cdn.example.com/m/squat.jpg", ".jpg")]
    [InlineData("https://cdn.example.com/m/squat.jpeg", ".jpeg")]
    [InlineData("https://cdn.example.com/m/squat.png", ".png")]
    [InlineData("https://cdn.example.com/m/squat.webp", ".webp")]
    [InlineData("https://cdn.example.com/m/squat.gif", ".gif")]
    [InlineData("https://cdn.example.com/m/squat.avif", ".avif")]
    [InlineData("https://cdn.example.com/m/squat.heic", ".heic")]
    [InlineData("https://cdn.example.com/m/squat.PNG", ".png")]
    [InlineData("https://cdn.example.com/m/squat.webp?sig=abc.mp4&x=1", ".webp")]
    [InlineData("https://cdn.example.com/m/squat.png#frag.gif", ".png")]
    [InlineData("/media/squat.png?v=2", ".png")]
    [InlineData("https://cdn.example.com/m/squat", ".jpg")]
    [InlineData("https://cdn.example.com/m/squat.mp4", ".jpg")]
    [InlineData("https://cdn.example.com/m/squat.svg", ".jpg")]
    [InlineData("https://cdn.example.com/m/squat.exe", ".jpg")]
    [InlineData("https://cdn.example.com/m/squat?format=png", ".jpg")]
    [InlineData("https://cdn.example.com/m.png/squat", ".jpg")]
    [InlineData("", ".jpg")]
    public void RelativeMediaPath_Image_KeepsAKnownImageExtensionElseJpg(string url, string extension)
    {
        var paths = new CachePaths(_fileSystem, _root);

        var relative = paths.RelativeMediaPath(new MediaKey("squat", MediaKind.Image, "small"), url);

        Assert.Equal(Path.Combine("media", "image", "squat", "small" + extension), relative);
    }

    [Theory]
    [InlineData("https://cdn.example.com/v/squat.mp4", ".mp4")]
    [InlineData("https://cdn.example.com/v/squat.m4v", ".m4v")]
    [InlineData("https://cdn.example.com/v/squat.mov", ".mov")]
    [InlineData("https://cdn.example.com/v/squat.webm", ".webm")]
    [InlineData("https://cdn.example.com/v/squat.MOV?token=a.jpg", ".mov")]
    [InlineData("https://cdn.example.com/v/squat.webm?x=1#t=10", ".webm")]
    [InlineData("https://cdn.example.com/v/squat.jpg", ".mp4")]
    [InlineData("https://cdn.example.com/v/squat.m3u8", ".mp4")]
    [InlineData("https://cdn.example.com/v/squat", ".mp4")]
    [InlineData("https://cdn.example.com/v/squat?file=a.webm", ".mp4")]
    public void RelativeMediaPath_Video_KeepsAKnownVideoExtensionElseMp4(string url, string extension)
    {
        var paths = new CachePaths(_fileSystem, _root);

        var relative = paths.RelativeMediaPath(new MediaKey("squat", MediaKind.Video, "720p"), url);

        Assert.Equal(Path.Combine("media", "video", "squat", "720p" + extension), relative);
    }

    // ---- KeyHash and partial files ----

    [Fact]
    public void KeyHash_KnownKey_IsStableAcrossVersions()
    {
        // Partial files are named by this hash and resumed after a restart or an upgrade: it must never change.
        Assert.Equal("dc216572e3fe25abc80b621bf27208a6", CachePaths.KeyHash(new MediaKey("squat", MediaKind.Image, "original")));
        Assert.Equal("54becbb42a78f06dee56f57a25c76909", CachePaths.KeyHash(new MediaKey("squat", MediaKind.Video, "original")));
    }

    [Fact]
    public void KeyHash_SameKey_IsSameEveryTime()
    {
        var key = new MediaKey("exercise-000123", MediaKind.Video, "1080p");

        Assert.Equal(CachePaths.KeyHash(key), CachePaths.KeyHash(key with { }));
        Assert.Matches(LowerHex32(), CachePaths.KeyHash(key));
    }

    [Fact]
    public void KeyHash_KeysDifferingInOnePart_AreDistinct()
    {
        var hashes = new[]
        {
            CachePaths.KeyHash(new MediaKey("squat", MediaKind.Image, "small")),
            CachePaths.KeyHash(new MediaKey("squat", MediaKind.Video, "small")),
            CachePaths.KeyHash(new MediaKey("Squat", MediaKind.Image, "small")),
            CachePaths.KeyHash(new MediaKey("squat", MediaKind.Image, "Small")),
            CachePaths.KeyHash(new MediaKey("squa", MediaKind.Image, "tsmall")),
            CachePaths.KeyHash(new MediaKey("squat\u00000", MediaKind.Image, "small")),
        };

        Assert.Equal(hashes.Length, hashes.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void PartialFile_AnyKey_IsAHashNamedFileInTmp()
    {
        var paths = new CachePaths(_fileSystem, _root);
        var key = new MediaKey("../../etc", MediaKind.Video, "passwd");

        var partial = paths.PartialFile(key);

        Assert.Equal(Path.Combine(paths.TempDirectory, CachePaths.KeyHash(key) + ".part"), partial);
    }

    // ---- With a mock file system ----

    [Fact]
    public void Resolve_MockFileSystem_UsesItsPathRules()
    {
        var mock = new MockFileSystem();
        var root = mock.Path.Combine(mock.Path.GetTempPath(), "cache");
        var paths = new CachePaths(mock, root);

        var full = paths.Resolve(paths.RelativeMediaPath(new MediaKey("squat", MediaKind.Image, "small"), "a.png"));

        Assert.Equal(mock.Path.Combine(mock.Path.GetFullPath(root), "media", "image", "squat", "small.png"), full);
        Assert.Throws<MediaCacheException>(() => paths.Resolve(mock.Path.Combine("..", "outside.png")));
    }

    [GeneratedRegex("^_[0-9a-f]{32}$")]
    private static partial Regex HashedSegment();

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex LowerHex32();
}
