using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Cache;

/// <summary>Many callers on many threads: no call fails for another's sake, and the index ends matching the disk.</summary>
public sealed class MediaCacheConcurrencyTests : OriginTestBase
{
    private const long Limit = 1024 * 1024;
    private const int Exercises = 8;
    private const long FileSize = 150 * 1024; // Eight of them (1.2 MB) do not fit the budget.

    protected override FakeMediaCatalog CreateCatalog()
    {
        var catalog = new FakeMediaCatalog();
        for (var i = 0; i < Exercises; i++)
        {
            catalog.AddExercise($"e{i}", $"Exercise {i}", e => e.AddImage("medium", FileSize));
        }

        return catalog;
    }

    [Fact]
    public async Task EveryMember_ManyThreadsAtOnce_NeverThrowAndEndConsistent()
    {
        var host = new CacheHost(Root, Origin.BaseAddress, o => o.CacheSizeLimitBytes = Limit);
        host.Time.AutoAdvanceAmount = TimeSpan.FromMilliseconds(3);
        var cache = host.Cache;
        var far = host.Time.GetUtcNow().AddDays(30);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            await start.Task;
            for (var step = 0; step < 60; step++)
            {
                var i = random.Next(Exercises);
                switch (random.Next(8))
                {
                    case 0 or 1 or 2:
                        var media = await cache.GetOrDownloadAsync(Key(i), Source(i));
                        Assert.Equal(FileSize, media.Bytes);
                        break;
                    case 3:
                        await cache.TryGetAsync(Key(i));
                        await cache.GetEntriesAsync($"e{i}");
                        break;
                    case 4:
                        // Only two keys are ever pinned, so pins never fill the budget.
                        await cache.PinAsync($"w-{worker}", [Key(i % 2)], far);
                        break;
                    case 5:
                        await cache.UnpinAsync($"w-{worker}");
                        break;
                    case 6:
                        await cache.TrimAsync(random.Next(300_000, (int)Limit));
                        await cache.GetUsageAsync();
                        break;
                    default:
                        await cache.RemoveAsync(Key(i));
                        break;
                }
            }
        })).ToArray();
        start.SetResult();

        await Task.WhenAll(workers);

        await AssertIndexMatchesDiskAsync(host);
        var usage = await cache.GetUsageAsync();
        Assert.InRange(usage.TotalBytes, 0, Limit);
        Assert.Equal(usage.TotalBytes, (await cache.TrimAsync(Limit)).RemainingBytes); // The running total agrees with the index.
        Assert.Empty(CacheFolder.TempFiles(Root));

        await host.DisposeAsync();
        await using var reopened = new CacheHost(Root, Origin.BaseAddress, o => o.CacheSizeLimitBytes = Limit);
        Assert.Equal(usage, await reopened.Cache.GetUsageAsync());
        Assert.DoesNotContain(reopened.Logs.GetSnapshot(), e => e.Id.Id == 19);
    }

    [Fact]
    public async Task TryGet_FileRemovedConcurrently_KeepsTheRunningTotalAndBudgetAccurate()
    {
        var fileSystem = new TestFileSystem();
        await using var host = new CacheHost(Root, Origin.BaseAddress, o => o.CacheSizeLimitBytes = Limit, fileSystem);
        var cache = host.Cache;
        for (var i = 0; i < 6; i++)
        {
            await cache.GetOrDownloadAsync(Key(i), Source(i));
            host.Time.Advance(TimeSpan.FromSeconds(1));
        }

        // A lookup reads e0's row; before it checks the file, a removal on another thread takes both.
        var victim = (await cache.TryGetAsync(Key(0)))!.LocalPath;
        var raced = 0;
        fileSystem.OnFileInfo = path =>
        {
            if (path == victim && Interlocked.Exchange(ref raced, 1) == 0)
            {
                Task.Run(() => cache.RemoveAsync(Key(0))).GetAwaiter().GetResult();
            }
        };

        // The lookup read the row before the removal: the removed file stays for the grace period, so the path it may
        // hand out is whole.
        if (await cache.TryGetAsync(Key(0)) is { } found)
        {
            Assert.Equal(found.Bytes, new FileInfo(found.LocalPath).Length);
        }

        fileSystem.OnFileInfo = null;
        Assert.Equal(1, raced);

        // Five files are left (768,000 bytes); two more go over the budget and must evict.
        await cache.GetOrDownloadAsync(Key(6), Source(6));
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await cache.GetOrDownloadAsync(Key(7), Source(7));

        var usage = await cache.GetUsageAsync();
        Assert.InRange(usage.TotalBytes, 0, Limit);
        Assert.Equal(usage.TotalBytes, (await cache.TrimAsync(Limit)).RemainingBytes);
        await AssertIndexMatchesDiskAsync(host);
    }

    [Fact]
    public async Task TryGet_KeyRedownloadedWhileALookupDropsItsStaleRow_LeavesIndexAndDiskInAgreement()
    {
        var fileSystem = new TestFileSystem();
        await using var host = new CacheHost(Root, Origin.BaseAddress, o => o.CacheSizeLimitBytes = Limit, fileSystem);
        var cache = host.Cache;
        var path = (await cache.GetOrDownloadAsync(Key(0), Source(0))).LocalPath;

        // A lookup reads e0's row; before it checks the file, another thread removes e0 (row and file)...
        var removed = 0;
        fileSystem.OnFileInfo = p =>
        {
            if (p == path && Interlocked.Exchange(ref removed, 1) == 0)
            {
                Task.Run(() => cache.RemoveAsync(Key(0))).GetAwaiter().GetResult();
            }
        };

        // ...and once the lookup has found the file missing, e0 is downloaded anew before the lookup acts on it.
        var redownloaded = 0;
        host.OnLog = entry =>
        {
            if (entry.Id.Id == 12 && Interlocked.Exchange(ref redownloaded, 1) == 0)
            {
                host.Time.Advance(TimeSpan.FromSeconds(1));
                Task.Run(() => cache.GetOrDownloadAsync(Key(0), Source(0))).GetAwaiter().GetResult();
            }
        };

        await cache.TryGetAsync(Key(0));
        fileSystem.OnFileInfo = null;
        host.OnLog = null;
        Assert.Equal(1, removed);

        // Whichever way the race went, a file on disk has its row and the running total counts it once.
        await AssertIndexMatchesDiskAsync(host);
        Assert.Equal((await cache.GetUsageAsync()).TotalBytes, (await cache.TrimAsync(Limit)).RemainingBytes);
        var media = await cache.GetOrDownloadAsync(Key(0), Source(0));
        Assert.Equal(path, media.LocalPath);
        Assert.Equal(FileSize, (await cache.TrimAsync(Limit)).RemainingBytes);
    }

    private static MediaKey Key(int i) => new($"e{i}", MediaKind.Image, "medium");

    private MediaSource Source(int i) => Origin.Catalog.GetVariant($"e{i}", FakeMediaKind.Image, "medium").ToSource();

    /// <summary>
    /// Every row has its file at its size and digest, and every file has its row, once the files of rows gone have had
    /// their grace period (they stay that long for a reader handed their path just before).
    /// </summary>
    private async Task AssertIndexMatchesDiskAsync(CacheHost host)
    {
        var cache = host.Cache;
        host.Time.Advance(RetiredFiles.Grace);
        var usage = await cache.GetUsageAsync();
        var files = CacheFolder.MediaFiles(Root);
        Assert.Equal(files.Sum(f => new FileInfo(f).Length), usage.TotalBytes);
        Assert.Equal(files.Length, usage.Count);

        var listed = new List<string>();
        for (var i = 0; i < Exercises; i++)
        {
            if (await cache.TryGetAsync(Key(i)) is { } media)
            {
                listed.Add(media.LocalPath);
                Assert.Equal(Origin.Catalog.GetVariant($"e{i}", FakeMediaKind.Image, "medium").Sha256, CacheFolder.Sha256(media.LocalPath));
            }
        }

        Assert.Equal(files, listed.Order(StringComparer.Ordinal));
    }
}
