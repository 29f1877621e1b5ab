using System.IO.Abstractions;
using System.IO.Abstractions.TestingHelpers;
using Microsoft.Extensions.Logging.Abstractions;
using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;

namespace OfflineMedia.Tests.Cache;

/// <summary>What the cache counts as its own: the names it writes, the folders it claims, and links it never goes through.</summary>
public sealed class CacheOwnershipTests : IDisposable
{
    private readonly FileSystem _fileSystem = new();
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "offlinemedia-owner-" + Guid.NewGuid().ToString("N"));

    public CacheOwnershipTests() => Directory.CreateDirectory(_temp);

    private string Root => Path.Combine(_temp, "cache");

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    // ---- Names the cache writes ----

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef.part", true)]
    [InlineData("0123456789abcdef0123456789abcdef.part.json", true)]
    [InlineData("0123456789ABCDEF0123456789abcdef.part", false)]
    [InlineData("0123456789abcdef.part", false)]
    [InlineData("notes.part", false)]
    [InlineData("0123456789abcdef0123456789abcdef.txt", false)]
    [InlineData("0123456789abcdef0123456789abcdef", false)]
    public void IsPartialFileName_OnlyTheKeyHashWithItsSuffix(string name, bool expected) =>
        Assert.Equal(expected, CachePaths.IsPartialFileName(name));

    [Theory]
    [InlineData("video", "720p.mp4", true)]
    [InlineData("video", "original.webm", true)]
    [InlineData("video", "_0123456789abcdef0123456789abcdef.mov", true)]
    [InlineData("image", "medium.jpg", true)]
    [InlineData("image", "a.b_c-d.png", true)]
    [InlineData("image", "720p.mp4", false)]
    [InlineData("video", "medium.jpg", false)]
    [InlineData("video", "Holiday.mp4", false)]
    [InlineData("video", "notes.txt", false)]
    [InlineData("video", ".mp4", false)]
    [InlineData("image", "_0123.jpg", false)]
    public void IsMediaFileName_ASegmentWithAKnownExtensionOfTheKind(string kind, string name, bool expected) =>
        Assert.Equal(expected, CachePaths.IsMediaFileName(kind, name));

    [Fact]
    public void IsSegmentName_EverySegmentTheCacheWrites_IsOne()
    {
        foreach (var part in (string[])["squat", "Squat", "../x", "é", new string('a', 65), "con"])
        {
            Assert.True(CachePaths.IsSegmentName(CachePaths.Segment(part)), part);
        }

        Assert.False(CachePaths.IsSegmentName("Holiday Photos"));
    }

    // ---- Links and folders ----

    [Theory]
    [InlineData("")]
    [InlineData("media")]
    [InlineData("media/video")]
    [InlineData("media/video/squat")]
    public void CreateFolder_ALinkOnTheWay_IsRefusedAndNothingIsCreatedBeyondIt(string linked)
    {
        var outside = Directory.CreateDirectory(Path.Combine(_temp, "outside")).FullName;
        var link = Path.Combine(Root, linked);
        Directory.CreateDirectory(Path.GetDirectoryName(link.TrimEnd(Path.DirectorySeparatorChar))!);
        Directory.CreateSymbolicLink(link.TrimEnd(Path.DirectorySeparatorChar), outside);
        var paths = new CachePaths(_fileSystem, Root);

        var error = Assert.Throws<MediaCacheException>(() => paths.CreateFolder(Path.Combine(Root, "media", "video", "squat", "deeper")));

        Assert.Equal(MediaCacheError.CacheFolderRefused, error.Error);
        Assert.Contains(link.TrimEnd(Path.DirectorySeparatorChar), error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(outside));
    }

    [Fact]
    public void CreateFolder_OutsideTheRoot_IsRefused()
    {
        var paths = new CachePaths(_fileSystem, Root);

        Assert.Throws<MediaCacheException>(() => paths.CreateFolder(Path.Combine(_temp, "elsewhere")));
        Assert.False(Directory.Exists(Path.Combine(_temp, "elsewhere")));
    }

    [Fact]
    public void CreateFolder_OnUnix_IsPrivateToTheUser()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        new CachePaths(_fileSystem, Root).CreateFolder(Path.Combine(Root, "media", "image"));

        foreach (var folder in (string[])[Root, Path.Combine(Root, "media"), Path.Combine(Root, "media", "image")])
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        }
    }

    [Fact]
    public void RemoveLinkBeforeWrite_AFileLink_RemovesTheLinkAndKeepsItsTarget()
    {
        var target = Path.Combine(_temp, "victim.bin");
        File.WriteAllText(target, "keep me");
        var tmp = Directory.CreateDirectory(Path.Combine(Root, "tmp")).FullName;
        var partial = Path.Combine(tmp, "0123456789abcdef0123456789abcdef.part");
        File.CreateSymbolicLink(partial, target);

        CachePaths.RemoveLinkBeforeWrite(_fileSystem, partial);

        Assert.False(File.Exists(partial));
        Assert.Equal("keep me", File.ReadAllText(target));
    }

    [Fact]
    public void RemoveLinkBeforeWrite_FolderIsALink_IsRefused()
    {
        var outside = Directory.CreateDirectory(Path.Combine(_temp, "outside")).FullName;
        Directory.CreateDirectory(Root);
        Directory.CreateSymbolicLink(Path.Combine(Root, "tmp"), outside);

        var error = Assert.Throws<MediaCacheException>(() => CachePaths.RemoveLinkBeforeWrite(_fileSystem, Path.Combine(Root, "tmp", "x.part")));

        Assert.Equal(MediaCacheError.CacheFolderRefused, error.Error);
    }

    [Fact]
    public void FindLinkOnTheWay_ReportsTheLinkedFolder()
    {
        var outside = Directory.CreateDirectory(Path.Combine(_temp, "outside")).FullName;
        Directory.CreateDirectory(Path.Combine(Root, "media", "video"));
        var squat = Path.Combine(Root, "media", "video", "squat");
        Directory.CreateSymbolicLink(squat, outside);
        var paths = new CachePaths(_fileSystem, Root);

        Assert.Equal(squat, paths.FindLinkOnTheWay(Path.Combine(squat, "720p.mp4")));
        Assert.Null(paths.FindLinkOnTheWay(Path.Combine(Root, "media", "video", "lunge", "720p.mp4")));
    }

    // ---- Claiming a folder (in memory) ----

    [Fact]
    public void Claim_MissingFolder_IsCreatedWithItsFoldersAndMarked()
    {
        var fileSystem = new MockFileSystem();
        var root = Path.Combine(Path.GetTempPath(), "claim-missing");

        CacheOwnership.Claim(fileSystem, new CachePaths(fileSystem, root), NullLogger.Instance);

        Assert.True(fileSystem.File.Exists(Path.Combine(root, CachePaths.MarkerFileName)));
        foreach (var folder in (string[])["tmp", "media/image", "media/video"])
        {
            Assert.True(fileSystem.Directory.Exists(Path.Combine(root, folder)), folder);
        }
    }

    [Fact]
    public void Claim_OnlyFilesTheSdkWritesBeforeTheCacheOpens_IsAdopted()
    {
        var fileSystem = new MockFileSystem();
        var root = Path.Combine(Path.GetTempPath(), "claim-settings");
        fileSystem.AddFile(Path.Combine(root, "settings.json"), new MockFileData("{}"));
        fileSystem.AddFile(Path.Combine(root, "sync.db"), new MockFileData("sqlite"));

        CacheOwnership.Claim(fileSystem, new CachePaths(fileSystem, root), NullLogger.Instance);

        Assert.True(fileSystem.File.Exists(Path.Combine(root, CachePaths.MarkerFileName)));
    }

    [Theory]
    [InlineData("notes.txt")]
    [InlineData("media/video/squat/720p.mp4")]
    [InlineData("tmp/0123456789abcdef0123456789abcdef.part")]
    public void Claim_FolderWithFilesAndNoMarker_IsRefusedUntouched(string file)
    {
        var fileSystem = new MockFileSystem();
        var root = Path.Combine(Path.GetTempPath(), "claim-foreign");
        fileSystem.AddFile(Path.Combine(root, file), new MockFileData("mine"));
        var before = fileSystem.AllPaths.Order(StringComparer.Ordinal).ToList();

        var error = Assert.Throws<MediaCacheException>(() => CacheOwnership.Claim(fileSystem, new CachePaths(fileSystem, root), NullLogger.Instance));

        Assert.Equal(MediaCacheError.CacheFolderRefused, error.Error);
        Assert.Contains(root, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, fileSystem.AllPaths.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Claim_MarkedFolder_KeepsWhateverItHolds()
    {
        var fileSystem = new MockFileSystem();
        var root = Path.Combine(Path.GetTempPath(), "claim-marked");
        fileSystem.AddFile(Path.Combine(root, CachePaths.MarkerFileName), new MockFileData("marker"));
        fileSystem.AddFile(Path.Combine(root, "media", "video", "squat", "720p.mp4"), new MockFileData("video"));

        CacheOwnership.Claim(fileSystem, new CachePaths(fileSystem, root), NullLogger.Instance);

        Assert.Equal("video", fileSystem.File.ReadAllText(Path.Combine(root, "media", "video", "squat", "720p.mp4")));
    }
}
