using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Cache;

/// <summary>
/// Whatever ids, variants or URLs arrive, nothing is written outside the cache root, two keys never share a
/// file, only http and https are fetched, and no signed URL's query shows in a message or a log.
/// </summary>
public sealed class MediaCacheHostileInputTests : OriginTestBase
{
    private readonly TestFileSystem _fileSystem = new();
    private FakeMediaVariant _image = null!;

    /// <summary>Three levels down, so a path climbing out of the root shows up in a folder the test watches.</summary>
    protected override string Root => Path.Combine(Temp.Path, "x", "y", "cache");

    public static TheoryData<string> HostileNames =>
    [
        "../..", "../../etc/passwd", "/etc/passwd", @"C:\Windows\x", "a/b", @"a\b", "CON", "nul.txt", "com1", "LPT9.mp4",
        new string('x', 1000), "스쿼트-😀", "..", ".", "~", "squat.", " squat", "$HOME", "%2e%2e%2f", "..\u2215..",
    ];

    public static TheoryData<string> InvalidNames => ["", " ", "\t", "a\0b", "a\nb", "\u0007bell", "x\u007f", new string('x', 2049)];

    public static TheoryData<string> UnsupportedUrls =>
    [
        "file:///etc/passwd", "file:///etc/passwd?sig=SECRET", "ftp://127.0.0.1/media/x.jpg?sig=SECRET", "javascript:alert(1)",
        "data:image/jpeg;base64,/9j/4AAQSkZJRg==", "/media/images/squat/medium/medium.jpg?sig=SECRET", "media/x.jpg", @"\\server\share\x.jpg",
        "gopher://127.0.0.1/x", "mailto:a@b.c",
    ];

    protected override FakeMediaCatalog CreateCatalog()
    {
        var catalog = new FakeMediaCatalog().AddExercise("squat", "Squat", e => e.AddTypicalVariants(scale: 100));
        _image = catalog.GetVariant("squat", FakeMediaKind.Image, "medium");
        return catalog;
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Directory.CreateDirectory(Root);
    }

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task GetOrDownload_HostileExerciseId_StoresTheFileUnderTheRoot(string exerciseId)
    {
        await using var host = CreateHost(Origin.BaseAddress);
        var key = new MediaKey(exerciseId, MediaKind.Image, "medium");

        var media = await host.Cache.GetOrDownloadAsync(key, _image.ToSource());

        Assert.StartsWith(Root + Path.DirectorySeparatorChar, media.LocalPath, StringComparison.Ordinal);
        Assert.Equal(Path.GetFullPath(media.LocalPath), media.LocalPath);
        Assert.Equal(_image.Sha256, CacheFolder.Sha256(media.LocalPath));
        Assert.Equal(media.LocalPath, (await host.Cache.TryGetAsync(key))?.LocalPath);
        Assert.Equal(key, Assert.Single(await host.Cache.GetEntriesAsync(exerciseId)).Key);
        AssertPortable(media.LocalPath);
        AssertNothingOutsideTheRoot();
    }

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task GetOrDownload_HostileVariantName_StoresTheFileUnderTheRoot(string variant)
    {
        await using var host = CreateHost(Origin.BaseAddress);

        var media = await host.Cache.GetOrDownloadAsync(new MediaKey("squat", MediaKind.Video, variant), new MediaSource(Origin.GetMediaUri("squat", FakeMediaKind.Video, "720p").ToString()));

        Assert.StartsWith(Root + Path.DirectorySeparatorChar, media.LocalPath, StringComparison.Ordinal);
        Assert.True(File.Exists(media.LocalPath));
        AssertPortable(media.LocalPath);
        AssertNothingOutsideTheRoot();
    }

    [Fact]
    public async Task EveryMember_IndexRowPointingOutsideTheRoot_NeverReadsOrDeletesThere()
    {
        await using (var host = CreateHost(Origin.BaseAddress))
        {
            await host.Cache.GetOrDownloadAsync(_image.ToKey(), _image.ToSource());
            await host.Cache.GetOrDownloadAsync(new MediaKey("other", MediaKind.Image, "medium"), _image.ToSource());
        }

        // Someone rewrites the index so rows point beside the cache folder, where a file of the right size waits.
        var outside = Path.Combine(Temp.Path, "x", "y", "outside.jpg");
        await File.WriteAllBytesAsync(outside, new byte[_image.SizeBytes]);
        using (var connection = new SqliteConnection($"Data Source={CacheFolder.IndexFile(Root)};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE entries SET path = $path";
            command.Parameters.AddWithValue("$path", Path.Combine("..", "outside.jpg"));
            Assert.Equal(2, command.ExecuteNonQuery());
        }

        await using var reopened = CreateHost(Origin.BaseAddress);
        Assert.Null(await reopened.Cache.TryGetAsync(_image.ToKey()));
        await reopened.Cache.RemoveAsync(new MediaKey("other", MediaKind.Image, "medium"));
        await reopened.Cache.ClearAsync(keepPinned: false);
        await reopened.Cache.TrimAsync(0);

        Assert.True(File.Exists(outside));
        Assert.Equal(_image.SizeBytes, new FileInfo(outside).Length);
        Assert.DoesNotContain(_fileSystem.TouchedPaths, p => p == outside);
    }

    [Fact]
    public async Task GetOrDownload_IdsDifferingOnlyInCase_GetTwoFilesThatDifferIgnoringCase()
    {
        await using var host = CreateHost(Origin.BaseAddress);
        var small = Origin.Catalog.GetVariant("squat", FakeMediaKind.Image, "small");

        var upper = await host.Cache.GetOrDownloadAsync(new MediaKey("Squat", MediaKind.Image, "medium"), _image.ToSource());
        var lower = await host.Cache.GetOrDownloadAsync(new MediaKey("squat", MediaKind.Image, "medium"), small.ToSource());

        Assert.False(string.Equals(upper.LocalPath, lower.LocalPath, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(_image.Sha256, CacheFolder.Sha256(upper.LocalPath));
        Assert.Equal(small.Sha256, CacheFolder.Sha256(lower.LocalPath));
        Assert.Equal(2, (await host.Cache.GetUsageAsync()).Count);
    }

    [Fact]
    public async Task GetOrDownload_PathLikeIds_NeverShareAFileWithAPlainId()
    {
        await using var host = CreateHost(Origin.BaseAddress);
        string[] ids = ["a/b", "a_b", @"a\b", "a-b", "a", "b", "_a", "A"];

        var paths = new List<string>();
        foreach (var id in ids)
        {
            paths.Add((await host.Cache.GetOrDownloadAsync(new MediaKey(id, MediaKind.Image, "medium"), _image.ToSource())).LocalPath);
        }

        Assert.Equal(ids.Length, paths.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(ids.Length, CacheFolder.MediaFiles(Root).Length);
        AssertNothingOutsideTheRoot();
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public async Task EveryKeyedMember_InvalidIdOrVariant_ThrowsInvalidKeyAndTouchesNothing(string name)
    {
        await using var host = CreateHost(Origin.BaseAddress);
        var cache = host.Cache;
        MediaKey[] keys = [new(name, MediaKind.Image, "medium"), new("squat", MediaKind.Image, name)];

        foreach (var key in keys)
        {
            await AssertInvalidKeyAsync(async () => await cache.TryGetAsync(key));
            await AssertInvalidKeyAsync(() => cache.GetOrDownloadAsync(key, _image.ToSource()));
            await AssertInvalidKeyAsync(() => cache.RevalidateAsync(key, _image.ToSource()));
            await AssertInvalidKeyAsync(() => cache.PinAsync("w-1", [key], DateTimeOffset.MaxValue));
            await AssertInvalidKeyAsync(() => cache.UnpinAsync("w-1", [key]));
            await AssertInvalidKeyAsync(() => cache.RemoveAsync(key));
        }

        Assert.Equal(0, Origin.Requests.Count);
        Assert.Empty(CacheFolder.MediaFiles(Root));
        Assert.Empty(CacheFolder.TempFiles(Root));
    }

    [Fact]
    public async Task GetOrDownload_UndefinedKind_ThrowsInvalidKey()
    {
        await using var host = CreateHost(Origin.BaseAddress);

        await AssertInvalidKeyAsync(() => host.Cache.GetOrDownloadAsync(new MediaKey("squat", (MediaKind)42, "medium"), _image.ToSource()));

        Assert.Equal(0, Origin.Requests.Count);
    }

    [Theory]
    [MemberData(nameof(UnsupportedUrls))]
    public async Task GetOrDownload_NotAnHttpUrlOrRelativeWithoutBase_ThrowsUnsupportedUrlWithoutTheQuery(string url)
    {
        await using var host = CreateHost(apiBaseAddress: null);
        var key = new MediaKey("squat", MediaKind.Image, "medium");

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(key, new MediaSource(url)));

        Assert.Equal(MediaCacheError.UnsupportedUrl, error.Error);
        Assert.Equal(key, error.Key);
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, Origin.Requests.Count);
        Assert.Empty(CacheFolder.MediaFiles(Root));
        Assert.Empty(CacheFolder.TempFiles(Root));
        AssertNothingOutsideTheRoot();
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("file:///etc/passwd?sig=SECRET")]
    [InlineData("ftp://127.0.0.1/x.jpg")]
    [InlineData("gopher://127.0.0.1/x.jpg")]
    [InlineData("data:image/jpeg;base64,/9j/4AAQSkZJRg==")]
    public async Task GetOrDownload_RedirectToANonHttpUrl_FailsWithUnsupportedUrl(string location)
    {
        Origin.Faults.Set(_image, FakeFault.Redirect(new Uri(location)));
        await using var host = CreateHost(Origin.BaseAddress);

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(_image.ToKey(), _image.ToSource(verified: false)));

        Assert.Equal(MediaCacheError.UnsupportedUrl, error.Error);
        Assert.Equal(_image.ToKey(), error.Key);
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
        Assert.Null(await host.Cache.TryGetAsync(_image.ToKey()));
        Assert.Empty(CacheFolder.MediaFiles(Root));
    }

    [Fact]
    public async Task GetOrDownload_RedirectToANonHttpSchemeThatAnswers_IsNotCached()
    {
        // A server speaking HTTP behind another scheme: whatever it answers is not taken.
        var location = new UriBuilder(Origin.GetMediaUri(_image)) { Scheme = "gopher" }.Uri;
        Origin.Faults.Set(_image, FakeFault.Redirect(location) with { Times = 1 });
        await using var host = CreateHost(Origin.BaseAddress);

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(_image.ToKey(), _image.ToSource(verified: false)));

        Assert.Equal(MediaCacheError.UnsupportedUrl, error.Error);
        Assert.Contains("gopher", error.Message, StringComparison.Ordinal);
        Assert.Null(await host.Cache.TryGetAsync(_image.ToKey()));
        Assert.Empty(CacheFolder.MediaFiles(Root));
        Assert.Empty(CacheFolder.TempFiles(Root));
    }

    [Fact]
    public async Task GetOrDownload_SignedCdnUrl_DownloadsAndKeepsTheKeyNotTheUrl()
    {
        await using var host = CreateHost(apiBaseAddress: null);
        var url = Origin.GetSignedCdnUri(_image).ToString();
        Assert.Contains("sig=", url, StringComparison.Ordinal);

        var media = await host.Cache.GetOrDownloadAsync(_image.ToKey(), new MediaSource(url, _image.SizeBytes, _image.Sha256));
        var again = await host.Cache.GetOrDownloadAsync(_image.ToKey(), new MediaSource(Origin.GetSignedCdnUri(_image).ToString(), _image.SizeBytes, _image.Sha256));

        Assert.Equal(_image.Sha256, CacheFolder.Sha256(media.LocalPath));
        Assert.Equal(media.LocalPath, again.LocalPath);
        Assert.Equal(1, Origin.Requests.Count); // A new signature is the same file.
        Assert.DoesNotContain("sig=", media.LocalPath, StringComparison.Ordinal);
        Assert.EndsWith(".jpg", media.LocalPath, StringComparison.Ordinal);
        AssertNoSecretsLogged(host);
    }

    [Fact]
    public async Task GetOrDownload_RedirectToASignedCdn_DownloadsAndFailuresNeverShowTheQuery()
    {
        Origin.Faults.Set(_image, FakeFault.RedirectToCdn());
        await using var host = CreateHost(Origin.BaseAddress);

        var media = await host.Cache.GetOrDownloadAsync(_image.ToKey(), _image.ToSource());
        Assert.Equal(_image.Sha256, CacheFolder.Sha256(media.LocalPath));
        Assert.Contains(Origin.Requests.All, r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal) && r.Query.Contains("sig=", StringComparison.Ordinal));

        var other = Origin.Catalog.GetVariant("squat", FakeMediaKind.Image, "large");
        Origin.Faults.Set(other, FakeFault.RedirectToCdn());
        Origin.Faults.Set("/cdn/*", FakeFault.Status(503, TimeSpan.FromSeconds(3)));
        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(other.ToKey(), other.ToSource()));

        Assert.Equal(MediaCacheError.HttpStatus, error.Error);
        Assert.Contains("/cdn/", error.Message, StringComparison.Ordinal); // It names the URL that failed...
        Assert.DoesNotContain("sig=", error.ToString(), StringComparison.Ordinal); // ...but not its signature.
        Assert.DoesNotContain("exp=", error.ToString(), StringComparison.Ordinal);
        AssertNoSecretsLogged(host);
    }

    [Fact]
    public async Task GetOrDownload_SignedUrlBodyFails_MessageHasNoQuery()
    {
        Origin.Faults.Set("/cdn/*", FakeFault.DropAfter(1000));
        await using var host = CreateHost(apiBaseAddress: null);

        var error = await Assert.ThrowsAsync<MediaCacheException>(
            () => host.Cache.GetOrDownloadAsync(_image.ToKey(), new MediaSource(Origin.GetSignedCdnUri(_image).ToString())));

        Assert.Equal(MediaCacheError.Network, error.Error);
        Assert.DoesNotContain("sig=", error.ToString(), StringComparison.Ordinal);
        AssertNoSecretsLogged(host);
    }

    /// <summary>Every name below the root is a lowercase token any file system takes: no separators, drive letters, device names or case to collide on.</summary>
    private void AssertPortable(string path)
    {
        foreach (var segment in Path.GetRelativePath(Root, path).Split(Path.DirectorySeparatorChar))
        {
            Assert.Matches(new Regex("^[a-z0-9_][a-z0-9_.-]{0,99}$"), segment);
            Assert.DoesNotContain(segment.Split('.')[0], (string[])["con", "prn", "aux", "nul", "com1", "lpt9"]);
            Assert.False(segment.EndsWith('.'), segment);
        }
    }

    private static async Task AssertInvalidKeyAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<MediaCacheException>(call);
        Assert.Equal(MediaCacheError.InvalidKey, error.Error);
    }

    private static void AssertNoSecretsLogged(CacheHost host)
    {
        Assert.NotEmpty(host.Logs.GetSnapshot());
        Assert.All(host.Logs.GetSnapshot(), e => Assert.DoesNotContain("sig=", e.Message + e.Exception, StringComparison.Ordinal));
    }

    /// <summary>Nothing appeared beside the root or above it, and every path the cache touched lies under the root.</summary>
    private void AssertNothingOutsideTheRoot()
    {
        Assert.Equal([Path.Combine(Temp.Path, "x")], Directory.GetFileSystemEntries(Temp.Path));
        Assert.Equal([Path.Combine(Temp.Path, "x", "y")], Directory.GetFileSystemEntries(Path.Combine(Temp.Path, "x")));
        Assert.Equal([Root], Directory.GetFileSystemEntries(Path.Combine(Temp.Path, "x", "y")));
        Assert.All(_fileSystem.TouchedPaths, p => Assert.True(p == Root || p.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal), p));
        Assert.All(CacheFolder.FilesUnder(Root), f => Assert.Equal(f, Path.GetFullPath(f)));
    }

    private CacheHost CreateHost(Uri? apiBaseAddress) => NewCacheHost(apiBaseAddress, fileSystem: _fileSystem);
}
