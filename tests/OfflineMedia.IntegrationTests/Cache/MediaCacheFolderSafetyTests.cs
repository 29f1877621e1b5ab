using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Storage;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Cache;

/// <summary>
/// The cache owns its folder: a folder it did not create is refused untouched, no link under the root is ever followed,
/// and a folder outside the root keeps every file byte for byte, whatever links point at it.
/// </summary>
public sealed class MediaCacheFolderSafetyTests : OriginTestBase
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Gets a folder of someone else's, outside the cache, that links point at.</summary>
    private string Outside => Path.Combine(Temp.Path, "outside");

    protected override FakeMediaCatalog CreateCatalog()
    {
        var catalog = new FakeMediaCatalog();
        foreach (var id in (string[])["a", "squat"])
        {
            catalog.AddExercise(id, id.ToUpperInvariant(), e => e.AddImage("medium", 50_000 + id[0]).AddVideo("720p", 120_000));
        }

        return catalog;
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        PlantOutsideFiles();
    }

    [Theory]
    [InlineData("")]
    [InlineData("media")]
    [InlineData("tmp")]
    public async Task Open_RootOrTopFolderIsALink_IsRefusedAndTheTargetKeepsEveryFile(string linked)
    {
        if (linked.Length == 0)
        {
            Directory.CreateSymbolicLink(Root, Outside);
        }
        else
        {
            Directory.CreateDirectory(Root);
            Directory.CreateSymbolicLink(Path.Combine(Root, linked), Outside);
        }

        var before = Snapshot(Outside);

        await using (var host = CreateHost())
        {
            var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetUsageAsync());
            Assert.Equal(MediaCacheError.CacheFolderRefused, error.Error);
            Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<MediaCacheException>(() => DownloadAsync(host, "squat", FakeMediaKind.Video, "720p"));
        }

        Assert.Equal(before, Snapshot(Outside));
    }

    [Fact]
    public async Task Open_KindFolderIsALink_IsRefusedAndNothingIsWrittenIntoIt()
    {
        await using (var first = CreateHost())
        {
            await DownloadAsync(first, "a", FakeMediaKind.Video, "720p");
        }

        var video = Path.Combine(Root, "media", "video");
        Directory.Delete(video, recursive: true);
        Directory.CreateSymbolicLink(video, Outside);
        var before = Snapshot(Outside);

        await using (var host = CreateHost())
        {
            var error = await Assert.ThrowsAsync<MediaCacheException>(() => DownloadAsync(host, "squat", FakeMediaKind.Video, "720p"));
            Assert.Equal(MediaCacheError.CacheFolderRefused, error.Error);
            Assert.Contains(video, error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, Snapshot(Outside));
    }

    [Fact]
    public async Task Repair_ExerciseFolderIsALink_IsNotFollowedAndADownloadIntoItIsRefused()
    {
        var crashed = CreateHost();
        await DownloadAsync(crashed, "squat", FakeMediaKind.Video, "720p");
        crashed.Abandon();
        await crashed.DisposeAsync();

        var squat = Path.Combine(Root, "media", "video", "squat");
        Directory.Delete(squat, recursive: true);
        Directory.CreateSymbolicLink(squat, Path.Combine(Outside, "media", "video", "squat"));
        var before = Snapshot(Outside);

        await using (var reopened = CreateHost())
        {
            // The repair after the crash walks media/ and drops the row: its file is reached only through the link.
            Assert.Equal(0, (await reopened.Cache.GetUsageAsync()).Count);
            var error = await Assert.ThrowsAsync<MediaCacheException>(() => DownloadAsync(reopened, "squat", FakeMediaKind.Video, "720p"));
            Assert.Equal(MediaCacheError.CacheFolderRefused, error.Error);
            Assert.Contains(squat, error.Message, StringComparison.Ordinal);
            Assert.Empty(CacheFolder.TempFiles(Root));

            // Other exercises are not held up by it.
            Assert.NotNull(await DownloadAsync(reopened, "a", FakeMediaKind.Video, "720p"));
        }

        Assert.Equal(before, Snapshot(Outside));
        Assert.True(Directory.Exists(squat));
    }

    [Fact]
    public async Task Download_MediaFolderRemovedWhileOpen_IsMadeAgainPrivateFromTheRootDown()
    {
        await using var host = CreateHost();
        await DownloadAsync(host, "a", FakeMediaKind.Image, "medium");

        // Cleared by hand while the app runs: the folders the cache checked before are gone.
        Directory.Delete(Path.Combine(Root, "media"), recursive: true);
        var image = await DownloadAsync(host, "a", FakeMediaKind.Image, "medium");
        var video = await DownloadAsync(host, "squat", FakeMediaKind.Video, "720p");

        Assert.True(File.Exists(image.LocalPath) && File.Exists(video.LocalPath));
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes, as above.
        }

        foreach (var folder in (string[])["media", "media/image", "media/image/a", "media/video", "media/video/squat"])
        {
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(Root, folder)));
        }
    }

    [Fact]
    public async Task Download_PartialFileIsALink_WritesAFileOfItsOwnAndNeverTheTarget()
    {
        var victim = Path.Combine(Outside, "victim.bin");
        var before = Snapshot(Outside);
        var variant = Origin.Catalog.GetVariant("squat", FakeMediaKind.Video, "720p");

        await using (var host = CreateHost())
        {
            // A dropped download leaves a partial file and what it needs to resume; the file is then swapped for a link.
            Origin.Faults.Set(variant, FakeFault.DropAfter(50_000));
            await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(variant.ToKey(), variant.ToSource()));
            Origin.Faults.Clear(variant);
            var partial = host.Default.Paths.PartialFile(variant.ToKey());
            await CacheFolder.WaitForReleasedPartialAsync(Root);
            File.Delete(partial);
            File.CreateSymbolicLink(partial, victim);

            var media = await host.Cache.GetOrDownloadAsync(variant.ToKey(), variant.ToSource());

            Assert.Equal(variant.Sha256, CacheFolder.Sha256(media.LocalPath));
            Assert.Null(new FileInfo(media.LocalPath).LinkTarget);
        }

        Assert.Equal(before, Snapshot(Outside));
    }

    [Fact]
    public async Task Open_PartialFileIsALink_IsRemovedAsALinkAndTheDownloadStartsOver()
    {
        var victim = Path.Combine(Outside, "victim.bin");
        var before = Snapshot(Outside);
        var variant = Origin.Catalog.GetVariant("squat", FakeMediaKind.Video, "720p");
        Origin.Faults.Set(variant, FakeFault.DropAfter(50_000));
        var crashed = CreateHost();
        await Assert.ThrowsAsync<MediaCacheException>(() => crashed.Cache.GetOrDownloadAsync(variant.ToKey(), variant.ToSource()));
        await CacheFolder.WaitForReleasedPartialAsync(Root);
        var partial = crashed.Default.Paths.PartialFile(variant.ToKey());
        crashed.Abandon();
        await crashed.DisposeAsync();
        Origin.Faults.Clear(variant);
        File.Delete(partial);
        File.CreateSymbolicLink(partial, victim);

        await using (var reopened = CreateHost())
        {
            var media = await reopened.Cache.GetOrDownloadAsync(variant.ToKey(), variant.ToSource());

            Assert.Equal(variant.Sha256, CacheFolder.Sha256(media.LocalPath));
            Assert.Contains(reopened.Logs.GetSnapshot(), e => e.Id.Id == 201 && e.Message.Contains(partial, StringComparison.Ordinal));
        }

        Assert.Equal(before, Snapshot(Outside));
    }

    [Fact]
    public async Task Repair_FileLinksInTmpAndMedia_AreRemovedAsLinksAndNeverServed()
    {
        var crashed = CreateHost();
        var cached = await DownloadAsync(crashed, "a", FakeMediaKind.Image, "medium");
        crashed.Abandon();
        await crashed.DisposeAsync();

        // The same bytes as the cached file, outside: only the link itself tells them apart.
        var copy = Path.Combine(Outside, "copy.jpg");
        File.Copy(cached.LocalPath, copy);
        File.Delete(cached.LocalPath);
        File.CreateSymbolicLink(cached.LocalPath, copy);
        var tmpLink = Path.Combine(Root, "tmp", "0123456789abcdef0123456789abcdef.part");
        File.CreateSymbolicLink(tmpLink, Path.Combine(Outside, "victim.bin"));
        var before = Snapshot(Outside);

        await using (var reopened = CreateHost())
        {
            Assert.Null(await reopened.Cache.TryGetAsync(cached.Key));
            Assert.False(File.Exists(cached.LocalPath) || new FileInfo(cached.LocalPath).LinkTarget is not null);
            Assert.Null(new FileInfo(tmpLink).LinkTarget);
            Assert.Contains(reopened.Logs.GetSnapshot(), e => e.Id.Id == 201 && e.Message.Contains(cached.LocalPath, StringComparison.Ordinal));

            var again = await DownloadAsync(reopened, "a", FakeMediaKind.Image, "medium");
            Assert.Null(new FileInfo(again.LocalPath).LinkTarget);
        }

        Assert.Equal(before, Snapshot(Outside));
    }

    [Fact]
    public async Task Open_NonEmptyFolderWithoutTheMarker_IsRefusedAndLeftUntouched()
    {
        CopyOutsideTo(Root);
        var before = Snapshot(Root);

        await using (var host = CreateHost())
        {
            var error = await Assert.ThrowsAsync<MediaCacheException>(() => DownloadAsync(host, "squat", FakeMediaKind.Video, "720p"));
            Assert.Equal(MediaCacheError.CacheFolderRefused, error.Error);
            Assert.Contains($"The folder '{Root}' is not an OfflineMedia cache", error.Message, StringComparison.Ordinal);
            Assert.Contains("CacheDirectory", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, Snapshot(Root));
    }

    [Fact]
    public async Task SyncAndSettings_InAFolderWithoutTheMarker_WriteNothingThere()
    {
        CopyOutsideTo(Root);
        File.WriteAllText(Path.Combine(Root, "settings.json"), "{ \"mine\": true }");
        var before = Snapshot(Root);

        await using (var host = new SyncHost(Root, Origin.BaseAddress))
        {
            var manager = host.Services.GetRequiredService<IOfflineMediaManager>();
            var sync = await Record.ExceptionAsync(() => host.Scheduler.SyncUpcomingAsync());
            var save = await Record.ExceptionAsync(() => manager.UpdateSettingsAsync(manager.Settings with { DownloadVideos = false }));

            Assert.Equal(MediaCacheError.CacheFolderRefused, Assert.IsType<MediaCacheException>(sync).Error);
            Assert.Equal(MediaCacheError.CacheFolderRefused, Assert.IsType<MediaCacheException>(save).Error);
        }

        Assert.Equal(before, Snapshot(Root));
    }

    [Fact]
    public async Task Open_IndexThatIsNotOfTheCache_IsRefusedAndLeftUntouched()
    {
        Directory.CreateDirectory(Root);
        using (var connection = new SqliteConnection($"Data Source={CacheFolder.IndexFile(Root)};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine');";
            command.ExecuteNonQuery();
        }

        var before = Snapshot(Root);

        await using (var host = CreateHost())
        {
            var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetUsageAsync());
            Assert.Equal(MediaCacheError.CacheFolderRefused, error.Error);
            Assert.Contains("index.db is not an index of the OfflineMedia cache", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, Snapshot(Root));
    }

    [Fact]
    public async Task Open_CacheOfAnEarlierVersionWithoutTheMarker_IsAdoptedWithEverythingKept()
    {
        CachedMedia cached;
        await using (var old = CreateHost())
        {
            cached = await DownloadAsync(old, "a", FakeMediaKind.Image, "medium");
        }

        File.Delete(Path.Combine(Root, ".offline-media-cache")); // Earlier versions wrote none.
        File.WriteAllText(Path.Combine(Root, "settings.json"), "{}");

        await using (var host = CreateHost())
        {
            Assert.Equal(cached.LocalPath, (await host.Cache.TryGetAsync(cached.Key))?.LocalPath);
            Assert.Contains(host.Logs.GetSnapshot(), e => e.Id.Id == 200);
        }

        Assert.Equal(cached.Sha256, CacheFolder.Sha256(cached.LocalPath));
        Assert.Contains("OfflineMedia", File.ReadAllText(Path.Combine(Root, ".offline-media-cache")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_MissingFolder_IsCreatedPrivateAndMarked()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes; Windows keeps a user's local application data private by its ACLs.
        }

        await using (var host = CreateHost())
        {
            await DownloadAsync(host, "a", FakeMediaKind.Video, "720p");
        }

        Assert.True(File.Exists(Path.Combine(Root, ".offline-media-cache")));
        foreach (var folder in (string[])[Root, Path.Combine(Root, "media"), Path.Combine(Root, "tmp"), Path.Combine(Root, "media", "video"), Path.Combine(Root, "media", "video", "a")])
        {
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(folder));
        }
    }

    [Fact]
    public async Task Repair_FilesTheCacheDidNotName_AreLeftAlone()
    {
        var crashed = CreateHost();
        await DownloadAsync(crashed, "a", FakeMediaKind.Image, "medium");
        crashed.Abandon();
        await crashed.DisposeAsync();

        var notes = Path.Combine(Root, "media", "image", "a", "notes.txt");
        var folder = Path.Combine(Root, "media", "Holiday Photos", "beach.jpg");
        var scratch = Path.Combine(Root, "tmp", "scratch.txt");
        var orphan = Path.Combine(Root, "media", "image", "ghost", "medium.jpg");
        foreach (var path in (string[])[notes, folder, scratch, orphan])
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, path);
        }

        await using (var reopened = CreateHost())
        {
            await reopened.Cache.GetUsageAsync();
        }

        Assert.Equal(notes, File.ReadAllText(notes));
        Assert.Equal(folder, File.ReadAllText(folder));
        Assert.Equal(scratch, File.ReadAllText(scratch));
        Assert.False(File.Exists(orphan)); // Named as the cache names its files, and without a row: the cache's own orphan.
    }

    private CacheHost CreateHost() => NewCacheHost(Origin.BaseAddress);

    private Task<CachedMedia> DownloadAsync(CacheHost host, string exercise, FakeMediaKind kind, string name)
    {
        var variant = Origin.Catalog.GetVariant(exercise, kind, name);
        return host.Cache.GetOrDownloadAsync(variant.ToKey(), variant.ToSource());
    }

    /// <summary>Files laid out as a cache lays them out, and others: what a repair that adopted the folder would delete.</summary>
    private void PlantOutsideFiles()
    {
        foreach (var (path, size) in (ValueTuple<string, int>[])
        [
            ("victim.bin", 4_096),
            ("notes.txt", 100),
            ("media/video/squat/720p.mp4", 2_000),
            ("media/image/a/medium.jpg", 3_000),
            ("squat/720p.mp4", 1_500),
            ("tmp/0123456789abcdef0123456789abcdef.part", 700),
            ("video/squat/720p.mp4", 900),
        ])
        {
            var full = Path.Combine(Outside, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, [.. Enumerable.Range(0, size).Select(i => (byte)(i * 31 + path.Length))]);
        }
    }

    private void CopyOutsideTo(string target)
    {
        foreach (var file in Directory.GetFiles(Outside, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(Outside, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }

    /// <summary>Every entry under a folder (links not followed) with each file's bytes as a digest.</summary>
    private static List<string> Snapshot(string folder) =>
        [.. new DirectoryInfo(folder).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(e => e.LinkTarget is { } target ? $"{Path.GetRelativePath(folder, e.FullName)} -> {target}"
                : e is FileInfo ? $"{Path.GetRelativePath(folder, e.FullName)} {CacheFolder.Sha256(e.FullName)}"
                : $"{Path.GetRelativePath(folder, e.FullName)}/")
            .Order(StringComparer.Ordinal)];
}
