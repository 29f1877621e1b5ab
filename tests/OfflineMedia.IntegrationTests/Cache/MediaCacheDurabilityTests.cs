using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Cache;

/// <summary>
/// A download is served as soon as it is verified and committed; its flush to disk follows on a background thread.
/// A clean close waits for those flushes; an open that finds files committed but never flushed checks each against the
/// content hash computed as it streamed, as the machine may have gone down before their bytes reached the disk. A kill of
/// the app alone loses no byte written: such a file is kept, with or without a digest from the catalog.
/// </summary>
public sealed class MediaCacheDurabilityTests : OriginTestBase
{
    protected override FakeMediaCatalog CreateCatalog()
    {
        var catalog = new FakeMediaCatalog();
        foreach (var id in (string[])["a", "b", "c"])
        {
            catalog.AddExercise(id, id.ToUpperInvariant(), e => e.AddImage("medium", 100_000 + id[0]));
        }

        return catalog;
    }

    [Fact]
    public async Task Close_FlushesEveryCommittedFileToDiskAndForgetsIt()
    {
        var fileSystem = new TestFileSystem();
        CachedMedia a, b;
        await using (var host = new CacheHost(Root, Origin.BaseAddress, fileSystem: fileSystem))
        {
            a = await DownloadAsync(host, "a");
            b = await DownloadAsync(host, "b");
        }

        Assert.Equal([a.LocalPath, b.LocalPath], fileSystem.FlushedToDisk.Where(p => p.StartsWith(CacheFolder.MediaDirectory(Root), StringComparison.Ordinal)).Order());
        Assert.Empty(CacheFolder.UnflushedFiles(Root));
    }

    [Fact]
    public async Task Open_AfterACrashBeforeTheFlushes_KeepsFilesThatMatchTheirContentHashAndDropsTheRest()
    {
        using var machine = new MachineGoingDown();
        var crashed = new CacheHost(Root, Origin.BaseAddress, fileSystem: new TestFileSystem { OnFlushToDisk = machine.HoldFlush });
        var a = await DownloadAsync(crashed, "a");
        var b = await DownloadAsync(crashed, "b", verified: false); // No catalog digest: its content hash is checked.
        var c = await DownloadAsync(crashed, "c");
        Assert.Equal(3, CacheFolder.UnflushedFiles(Root).Count);
        crashed.Abandon();
        await crashed.DisposeAsync();

        // c's blocks never reached the disk: after the restart its file has its size but not its bytes.
        await File.WriteAllBytesAsync(c.LocalPath, new byte[c.Bytes]);

        await using var reopened = new CacheHost(Root, Origin.BaseAddress);
        Assert.Equal(a.LocalPath, (await reopened.Cache.TryGetAsync(a.Key))?.LocalPath);
        Assert.Equal(b.LocalPath, (await reopened.Cache.TryGetAsync(b.Key))?.LocalPath);
        Assert.Null(await reopened.Cache.TryGetAsync(c.Key));
        Assert.Equal([a.LocalPath, b.LocalPath], CacheFolder.MediaFiles(Root));
        Assert.Empty(CacheFolder.UnflushedFiles(Root));
        var repaired = Assert.Single(reopened.Logs.GetSnapshot(), e => e.Id.Id == 19);
        Assert.Contains("dropped 1 entries", repaired.Message, StringComparison.Ordinal);

        var again = await DownloadAsync(reopened, "c");
        Assert.Equal(Origin.Catalog.GetVariant("c", FakeMediaKind.Image, "medium").Sha256, CacheFolder.Sha256(again.LocalPath));
    }

    [Fact]
    public async Task Open_AfterACleanCloseThatCouldNotFlushAFile_ChecksThatFile()
    {
        var fileSystem = new TestFileSystem
        {
            OnFlushToDisk = path =>
            {
                if (Path.GetFileName(Path.GetDirectoryName(path)) == "b")
                {
                    throw new IOException("Input/output error");
                }
            },
        };
        var host = new CacheHost(Root, Origin.BaseAddress, fileSystem: fileSystem);
        await DownloadAsync(host, "a");
        var b = await DownloadAsync(host, "b");
        await host.DisposeAsync();

        var warning = Assert.Single(host.Logs.GetSnapshot(), e => e.Id.Id == 21);
        Assert.Contains("b/medium", warning.Message, StringComparison.Ordinal);
        Assert.Equal("Input/output error", warning.Exception?.Message);
        Assert.Single(CacheFolder.UnflushedFiles(Root));

        await using var reopened = new CacheHost(Root, Origin.BaseAddress);
        Assert.Equal(b.LocalPath, (await reopened.Cache.TryGetAsync(b.Key))?.LocalPath); // Its bytes still match its digest.
        Assert.Equal(2, (await reopened.Cache.GetUsageAsync()).Count);
        Assert.Empty(CacheFolder.UnflushedFiles(Root));
    }

    [Fact]
    public async Task Open_AfterAnAppKillBeforeTheFlush_KeepsAFileWithoutACatalogDigestAndServesItWithoutARequest()
    {
        var variant = Origin.Catalog.GetVariant("b", FakeMediaKind.Image, "medium");
        using var machine = new MachineGoingDown();
        var killed = new CacheHost(Root, Origin.BaseAddress, fileSystem: new TestFileSystem { OnFlushToDisk = machine.HoldFlush });
        var b = await DownloadAsync(killed, "b", verified: false);
        Assert.Single(CacheFolder.UnflushedFiles(Root));
        killed.Abandon();
        await killed.DisposeAsync();

        await using var reopened = new CacheHost(Root, Origin.BaseAddress);
        Assert.Equal(b.LocalPath, (await reopened.Cache.TryGetAsync(b.Key))?.LocalPath);
        Assert.Equal(b.LocalPath, (await DownloadAsync(reopened, "b", verified: false)).LocalPath);
        Assert.Single(Origin.Requests.ForPath(variant));
        Assert.Equal(variant.Sha256, CacheFolder.Sha256(b.LocalPath));
        Assert.Empty(CacheFolder.UnflushedFiles(Root));
    }

    [Fact]
    public async Task Open_AfterAMachineCrashChangedTheBytesOfAFileWithoutACatalogDigest_DropsItAndDownloadsItAgain()
    {
        var variant = Origin.Catalog.GetVariant("b", FakeMediaKind.Image, "medium");
        using var machine = new MachineGoingDown();
        var crashed = new CacheHost(Root, Origin.BaseAddress, fileSystem: new TestFileSystem { OnFlushToDisk = machine.HoldFlush });
        var b = await DownloadAsync(crashed, "b", verified: false);
        crashed.Abandon();
        await crashed.DisposeAsync();

        // Its size survived the crash, some of its blocks did not: same length, other bytes.
        var bytes = await File.ReadAllBytesAsync(b.LocalPath);
        bytes.AsSpan(bytes.Length / 2).Fill(0xA5);
        await File.WriteAllBytesAsync(b.LocalPath, bytes);

        await using var reopened = new CacheHost(Root, Origin.BaseAddress);
        Assert.Null(await reopened.Cache.TryGetAsync(b.Key));
        var again = await DownloadAsync(reopened, "b", verified: false);
        Assert.Equal(2, (await Origin.Requests.CompletedAsync(variant)).Count);
        Assert.Equal(variant.Sha256, CacheFolder.Sha256(again.LocalPath));
    }

    [Fact]
    public async Task Open_AfterAKillOfAResumedDownloadBeforeItsFlush_KeepsIt_TheContentHashCoversTheWholeFile()
    {
        const long DropAt = 40_000;
        var variant = Origin.Catalog.GetVariant("b", FakeMediaKind.Image, "medium");
        Origin.Faults.Set(variant, FakeFault.DropAfter(DropAt));
        var killedMidBody = new CacheHost(Root, Origin.BaseAddress);
        await Assert.ThrowsAsync<MediaCacheException>(() => DownloadAsync(killedMidBody, "b", verified: false));
        killedMidBody.Abandon();
        await killedMidBody.DisposeAsync();
        Origin.Faults.Clear(variant);

        using var machine = new MachineGoingDown();
        var killed = new CacheHost(Root, Origin.BaseAddress, fileSystem: new TestFileSystem { OnFlushToDisk = machine.HoldFlush });
        var b = await DownloadAsync(killed, "b", verified: false);
        Assert.Equal($"bytes={DropAt}-", (await Origin.Requests.CompletedAsync(variant))[^1].Range);
        killed.Abandon();
        await killed.DisposeAsync();

        await using var reopened = new CacheHost(Root, Origin.BaseAddress);
        Assert.Equal(b.LocalPath, (await reopened.Cache.TryGetAsync(b.Key))?.LocalPath);
        Assert.Equal(2, Origin.Requests.ForPath(variant).Count);
        Assert.Equal(variant.Sha256, CacheFolder.Sha256(b.LocalPath));
    }

    private async Task<CachedMedia> DownloadAsync(CacheHost host, string exercise, bool verified = true)
    {
        var variant = Origin.Catalog.GetVariant(exercise, FakeMediaKind.Image, "medium");
        return await host.Cache.GetOrDownloadAsync(new MediaKey(exercise, MediaKind.Image, "medium"), variant.ToSource(verified));
    }

    /// <summary>Holds every flush to disk until disposed, then fails it: the machine went down before any was done.</summary>
    private sealed class MachineGoingDown : IDisposable
    {
        private readonly ManualResetEventSlim _down = new();

        public void HoldFlush(string path)
        {
            _down.Wait();
            throw new IOException($"The machine went down before '{path}' was flushed.");
        }

        public void Dispose() => _down.Set();
    }
}
