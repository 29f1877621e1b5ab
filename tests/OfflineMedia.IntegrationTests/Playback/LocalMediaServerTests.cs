using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using OfflineMedia.Cache;
using OfflineMedia.Playback;
using OfflineMedia.Resolution;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Playback;

/// <summary>The local media server as a player uses it: whole files, ranges, HEAD, several players at once, and the URLs it hands out.</summary>
public sealed class LocalMediaServerTests : LocalMediaServerTestBase
{
    [Fact]
    public async Task Get_NoRange_IsTheWholeFileWithItsTypeLengthAndAcceptRanges()
    {
        var bytes = Streams.Add(Video, 300_000);

        using var response = await GetAsync(await UrlAsync(Video));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.Equal("bytes", Assert.Single(response.Headers.AcceptRanges));
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        var stream = Assert.Single(Streams.Opened);
        await stream.Disposed.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("bytes=0-0", 0, 1)]
    [InlineData("bytes=1000-1999", 1000, 1000)]
    [InlineData("bytes=299000-", 299_000, 1000)]
    [InlineData("bytes=-500", 299_500, 500)]
    [InlineData("bytes=-999999", 0, 300_000)] // A suffix longer than the file is the file.
    [InlineData("bytes=299990-400000", 299_990, 10)] // The end is cut at the file's end.
    [InlineData("BYTES = 5 - 9", 5, 5)]
    public async Task Get_OneRange_Is206WithThoseBytesExactly(string range, int start, int count)
    {
        var bytes = Streams.Add(Video, 300_000);

        using var response = await GetAsync(await UrlAsync(Video), range);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes {start}-{start + count - 1}/300000", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(count, response.Content.Headers.ContentLength);
        Assert.Equal(bytes.AsSpan(start, count).ToArray(), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_RangesAsAPlayerSeeks_AreByteIdenticalToTheFile()
    {
        var bytes = Streams.Add(Video, 2_000_000);
        var url = await UrlAsync(Video);
        var random = new Random(7);

        for (var i = 0; i < 20; i++)
        {
            var start = random.Next(bytes.Length);
            var end = Math.Min(bytes.Length - 1, start + random.Next(1, 300_000));
            using var response = await GetAsync(url, $"bytes={start}-{end}");
            Assert.Equal(bytes.AsSpan(start, end - start + 1).ToArray(), await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Head_GivesLengthTypeAndAcceptRangesWithoutABody()
    {
        Streams.Add(Video, 123_456);
        var url = await UrlAsync(Video);

        using var response = await GetAsync(url, method: HttpMethod.Head);
        var raw = await RawHttp.SendAsync(url.Port, $"HEAD {url.PathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1:{url.Port}\r\nConnection: close\r\n\r\n");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(123_456, response.Content.Headers.ContentLength);
        Assert.Equal("bytes", Assert.Single(response.Headers.AcceptRanges));
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("123456", raw.Header("Content-Length"));
        Assert.EndsWith("\r\n\r\n", raw.Text, StringComparison.Ordinal); // Headers only: not one byte of the body.
    }

    [Fact]
    public async Task Get_WhileAnotherPlayerWaitsForItsBytes_IsServed()
    {
        var waiting = new TaskCompletionSource();
        Streams.Add(Video, 100_000);
        var url = await UrlAsync(Video);
        Streams.ReadGate = waiting.Task;
        var stalled = GetAsync(url);
        await WaitUntilAsync(() => Streams.Opened.Count == 1);
        Streams.ReadGate = Task.CompletedTask;

        await AssertStillServesAsync();

        Assert.False(stalled.IsCompleted);
        waiting.SetResult();
        using var first = await stalled.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(100_000, (await first.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task GetUrl_IsOnLoopbackWithAnUnguessableTokenAndTheFileName()
    {
        var url = await UrlAsync(Video);
        var other = await UrlAsync(Video with { Variant = "1080p" });

        Assert.Equal("http", url.Scheme);
        Assert.Equal("127.0.0.1", url.Host);
        Assert.Matches("^/[0-9a-f]{32}/720p\\.mp4$", url.AbsolutePath);
        Assert.DoesNotContain("secret", url.ToString(), StringComparison.Ordinal);
        Assert.NotEqual(url.Segments[1], other.Segments[1]);
        Assert.Equal(url, await UrlAsync(Video)); // Asked again: the same URL, so a player's cache of it still holds.
    }

    [Fact]
    public async Task GetUrl_HostileVariantName_StaysOneSafeSegment()
    {
        var key = new MediaKey("squat", MediaKind.Video, "../../etc/passwd?x=1#\u001b[2J");

        var url = await Server.GetUrlAsync(key, new MediaSource("https://cdn.example.com/a/b"));

        Assert.Matches("^/[0-9a-f]{32}/[A-Za-z0-9._-]+\\.mp4$", url.AbsolutePath);
        Assert.Empty(url.Query);
        Assert.Empty(url.Fragment);
    }

    [Fact]
    public async Task GetUrl_OfAResolvedCachedFile_ServesThatFile()
    {
        // A real cache: the phone's 720p video downloaded from the origin, then resolved offline to the cached file.
        var cache = Host.Cache;
        var variant = Origin.Catalog.Exercises[0].Variants.First(v => v.Kind == FakeMediaKind.Video && v.Name == "720p");
        var cached = await cache.GetOrDownloadAsync(new MediaKey(variant.ExerciseId, MediaKind.Video, "720p"), new MediaSource(Origin.GetMediaUri(variant).ToString()));
        Network.Set(FakeConnectivityProbe.Offline);
        var resolved = await Host.Services.GetRequiredService<IMediaSourceResolver>().ResolveAsync(variant.ExerciseId, MediaKind.Video);
        Assert.Equal(MediaSourceKind.Local, resolved.Source);

        var url = await Server.GetUrlAsync(resolved, CancellationToken.None);
        using var whole = await GetAsync(url);
        using var tail = await GetAsync(url, "bytes=-100");

        var file = await File.ReadAllBytesAsync(cached.LocalPath);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(file, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal(file[^100..], await tail.Content.ReadAsByteArrayAsync());
        Assert.Equal("video/mp4", whole.Content.Headers.ContentType?.MediaType);
        Assert.Empty(Streams.Opened); // A cached file is served from disk, not through a read-through stream.
    }

    [Fact]
    public async Task GetUrl_OfARemoteResolvedMedia_ReadsThroughTheCacheByItsKey()
    {
        var bytes = Streams.Add(Video, 5_000);
        var resolved = new ResolvedMedia
        {
            ExerciseId = Video.ExerciseId,
            Kind = MediaKind.Video,
            Source = MediaSourceKind.Remote,
            Variant = Video.Variant,
            RemoteUrl = new Uri("https://cdn.example.com/squat/720p.mp4"),
            Key = Video,
            Download = new MediaSource("https://cdn.example.com/squat/720p.mp4"),
        };

        using var response = await GetAsync(await Server.GetUrlAsync(resolved, CancellationToken.None));

        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        Assert.Single(Streams.Opened);
    }

    [Fact]
    public async Task GetUrl_UnavailableOrKeylessMedia_ThrowsArgumentException()
    {
        var unavailable = new ResolvedMedia { ExerciseId = "squat", Kind = MediaKind.Video, Source = MediaSourceKind.Unavailable, Reason = "Not available offline." };
        var keyless = new ResolvedMedia { ExerciseId = "squat", Kind = MediaKind.Video, Source = MediaSourceKind.Remote, RemoteUrl = new Uri("https://cdn.example.com/a.mp4") };
        var relative = new ResolvedMedia { ExerciseId = "squat", Kind = MediaKind.Video, Source = MediaSourceKind.Local, LocalPath = "media/a.mp4" };

        var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await Server.GetUrlAsync(unavailable, CancellationToken.None));
        Assert.Contains("Not available offline.", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(async () => await Server.GetUrlAsync(keyless, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Server.GetUrlAsync(relative, CancellationToken.None));
    }

    [Fact]
    public async Task Dispose_StopsTheServer()
    {
        Streams.Add(Video, 10);
        var url = await UrlAsync(Video);

        await Host.DisposeAsync();

        await Assert.ThrowsAnyAsync<SocketException>(async () =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, url.Port);
        });
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting.");
            await Task.Delay(10);
        }
    }
}
