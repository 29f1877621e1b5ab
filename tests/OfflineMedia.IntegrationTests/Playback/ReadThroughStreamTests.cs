using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Playback;
using OfflineMedia.Profiles;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Playback;

/// <summary>
/// A video played through the cache, against the fake origin with latency and faults: it ends cached under the cache's
/// rules, one download serves a sync and a player at once, a seek is served at once, a paused player holds nothing up, and
/// offline it plays what is cached, then says why it stops.
/// </summary>
public sealed class ReadThroughStreamTests : OriginTestBase
{
    private const int VideoBytes = 4 * 1024 * 1024;

    protected override FakeMediaCatalog CreateCatalog()
    {
        var catalog = new FakeMediaCatalog();
        catalog.AddExercise("squat", "Squat", e => e.AddVideo("720p", VideoBytes));
        return catalog;
    }

    private FakeMediaVariant Video => Origin.Catalog.GetVariant("squat", FakeMediaKind.Video, "720p");

    [Fact]
    public async Task Read_ToTheEndWhileNotCached_LeavesAVerifiedEntryAndFetchesTheFileOnce()
    {
        Origin.Faults.Set(Video, FakeFault.Delay(TimeSpan.FromMilliseconds(50)));
        await using var host = CreateHost();

        await using (var stream = await Streams(host).OpenReadAsync(Video.ToKey(), Video.ToSource()))
        {
            Assert.Equal(VideoBytes, stream.Length);
            Assert.Equal(0, stream.CachedAtOpen);
            Assert.Equal(Video.Sha256, await Sha256Async(stream));
        }

        var cached = await WaitForCachedAsync(host); // Its download finishes and commits after the player closed.
        Assert.Equal(Video.Sha256, CacheFolder.Sha256(cached.LocalPath));
        Assert.Single(await Origin.Requests.CompletedAsync(Video));
    }

    [Fact]
    public async Task Read_ASyncDownloadsTheSameFileAtOnce_TheOriginServesItsBytesOnce()
    {
        Origin.Faults.Set(Video, FakeFault.Throttle(8 * 1024 * 1024));
        await using var host = CreateHost();

        var sync = host.Cache.GetOrDownloadAsync(Video.ToKey(), Video.ToSource());
        string sha;
        await using (var stream = await Streams(host).OpenReadAsync(Video.ToKey(), Video.ToSource()))
        {
            sha = await Sha256Async(stream);
        }

        await sync;
        Assert.Equal(Video.Sha256, sha);
        var served = await Origin.Requests.CompletedAsync(Video);
        Assert.Equal(VideoBytes, served.Sum(r => r.BodyBytesSent));
    }

    [Fact]
    public async Task Seek_FarPastTheBytesOnDiskThenBack_ServesBothAtOnceAndKeepsWhatIsCached()
    {
        Origin.Faults.Set(Video, FakeFault.Throttle(1024 * 1024)); // 4 s for the whole file.
        await using var host = CreateHost();
        await using var stream = await Streams(host).OpenReadAsync(Video.ToKey(), Video.ToSource());

        var start = await ReadAtAsync(stream, 0, 64 * 1024);
        var ahead = await ReadAtAsync(stream, 3 * 1024 * 1024, 64 * 1024); // Far past what the download has written.
        var back = await ReadAtAsync(stream, 100 * 1024, 64 * 1024);

        Assert.True(stream.BytesReadFromNetwork >= 64 * 1024, "The read far ahead came from a ranged request.");
        Assert.Contains(await Origin.Requests.CompletedAsync(Video), r => r.Range?.StartsWith("bytes=3145728-", StringComparison.Ordinal) == true);
        var cached = await WaitForCachedAsync(host);
        var file = await File.ReadAllBytesAsync(cached.LocalPath);
        Assert.Equal(file.AsSpan(0, start.Length).ToArray(), start);
        Assert.Equal(file.AsSpan(3 * 1024 * 1024, ahead.Length).ToArray(), ahead);
        Assert.Equal(file.AsSpan(100 * 1024, back.Length).ToArray(), back);
        Assert.Equal(Video.Sha256, CacheFolder.Sha256(cached.LocalPath));
    }

    [Fact]
    public async Task Read_PausedLongerThanTheDownloadTakes_NeverHoldsItUpAndReadsOnAfter()
    {
        await using var host = CreateHost();
        await using var stream = await Streams(host).OpenReadAsync(Video.ToKey(), Video.ToSource());
        var first = new byte[1024];
        await stream.ReadExactlyAsync(first);

        var sync = await host.Cache.GetOrDownloadAsync(Video.ToKey(), Video.ToSource()).WaitAsync(TimeSpan.FromSeconds(20)); // Not held by the paused reader.

        Assert.Equal(Video.Sha256, sync.Sha256 ?? CacheFolder.Sha256(sync.LocalPath));
        stream.Position = 0;
        Assert.Equal(Video.Sha256, await Sha256Async(stream));
    }

    [Fact]
    public async Task Read_OfflineWithHalfTheFileOnDisk_ServesTheCachedHalfThenAClearError()
    {
        await using var host = CreateHost();
        Origin.Faults.Set(Video, FakeFault.DropAfter(VideoBytes / 2));
        await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(Video.ToKey(), Video.ToSource(verified: false)));
        var onDisk = await CacheFolder.WaitForReleasedPartialAsync(Root);
        ((FakeConnectivityProbe)host.Services.GetRequiredService<IConnectivityProbe>()).Set(FakeConnectivityProbe.Offline);

        await using var stream = await Streams(host).OpenReadAsync(Video.ToKey(), Video.ToSource(verified: false));
        var read = new MemoryStream();
        var error = await Assert.ThrowsAsync<IOException>(() => stream.CopyToAsync(read).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(onDisk, stream.CachedAtOpen);
        Assert.Equal(onDisk, read.Length);
        Assert.Contains($"Only {onDisk} of the {VideoBytes} bytes are cached", error.Message, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(CacheFolder.PartialFiles(Root).Single()), read.ToArray());
    }

    [Fact]
    public async Task Read_ConnectionDropsMidBody_ContinuesFromItsOffset()
    {
        Origin.Faults.Set(Video, FakeFault.DropAfter(1_500_000)); // Every answer drops after 1.5 MB: three cover the file.
        await using var host = CreateHost();

        await using var stream = await Streams(host).OpenReadAsync(Video.ToKey(), Video.ToSource());

        Assert.Equal(Video.Sha256, await Sha256Async(stream));
        var requests = await Origin.Requests.CompletedAsync(Video);
        Assert.Equal(3, requests.Count);
        Assert.Equal(["bytes=1500000-", "bytes=3000000-"], requests.Skip(1).Select(r => r.Range));
    }

    [Fact]
    public async Task Open_CachedWhole_ReadsTheFileWithoutARequest()
    {
        await using var host = CreateHost();
        await host.Cache.GetOrDownloadAsync(Video.ToKey(), Video.ToSource());

        await using var stream = await Streams(host).OpenReadAsync(Video.ToKey(), Video.ToSource());

        Assert.Equal(VideoBytes, stream.CachedAtOpen);
        Assert.Equal(Video.Sha256, await Sha256Async(stream));
        Assert.Single(await Origin.Requests.CompletedAsync(Video));
    }

    private static IMediaStreams Streams(CacheHost host) => host.Services.GetRequiredService<IMediaStreams>();

    private static async Task<string> Sha256Async(Stream stream) => Convert.ToHexStringLower(await SHA256.HashDataAsync(stream).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

    private static async Task<byte[]> ReadAtAsync(Stream stream, long position, int count)
    {
        stream.Position = position;
        var bytes = new byte[count];
        await stream.ReadExactlyAsync(bytes).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        return bytes;
    }

    private async Task<CachedMedia> WaitForCachedAsync(CacheHost host)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (await host.Cache.TryGetAsync(Video.ToKey()) is { } cached)
            {
                return cached;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The video was not cached.");
    }

    private CacheHost CreateHost() => new(Root, Origin.BaseAddress);
}
