using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using OfflineMedia.Cache;
using OfflineMedia.Playback.Internal;

namespace OfflineMedia.IntegrationTests.Playback;

/// <summary>
/// Requests no player sends (no token, a guessed token, other methods, odd ranges, huge headers, garbage, a client that
/// leaves mid-body): each gets a 4xx or a closed connection, is logged, and the server goes on serving.
/// </summary>
public sealed class LocalMediaServerHostileRequestTests : LocalMediaServerTestBase
{
    public static TheoryData<string, string, int> Requests() => new()
    {
        { "no token", "GET / HTTP/1.1", 404 },
        { "unknown token", "GET /0123456789abcdef0123456789abcdef/720p.mp4 HTTP/1.1", 404 },
        { "token in upper case", "GET /{TOKEN}/720p.mp4 HTTP/1.1", 404 },
        { "token cut short", "GET /{token-1} HTTP/1.1", 404 },
        { "token with more after it", "GET /{token}x/720p.mp4 HTTP/1.1", 404 },
        { "a path that climbs out", "GET /../../etc/passwd HTTP/1.1", 404 },
        { "POST", "POST /{token}/720p.mp4 HTTP/1.1\r\nContent-Length: 3", 405 },
        { "PUT", "PUT /{token}/720p.mp4 HTTP/1.1\r\nContent-Length: 0", 405 },
        { "DELETE", "DELETE /{token}/720p.mp4 HTTP/1.1", 405 },
        { "several ranges", "GET /{token}/720p.mp4 HTTP/1.1\r\nRange: bytes=0-10,20-30", 416 },
        { "inverted range", "GET /{token}/720p.mp4 HTTP/1.1\r\nRange: bytes=500-100", 416 },
        { "range past the end", "GET /{token}/720p.mp4 HTTP/1.1\r\nRange: bytes=1000-", 416 },
        { "empty suffix", "GET /{token}/720p.mp4 HTTP/1.1\r\nRange: bytes=-0", 416 },
        { "another unit", "GET /{token}/720p.mp4 HTTP/1.1\r\nRange: items=0-5", 416 },
        { "a range past any long", "GET /{token}/720p.mp4 HTTP/1.1\r\nRange: bytes=99999999999999999999999-", 416 },
        { "range that is not one", "GET /{token}/720p.mp4 HTTP/1.1\r\nRange: bytes=abc", 400 },
        { "negative range", "GET /{token}/720p.mp4 HTTP/1.1\r\nRange: bytes=-5-10", 400 },
        { "range without a dash", "GET /{token}/720p.mp4 HTTP/1.1\r\nRange: bytes=5", 400 },
        { "huge header", "GET /{token}/720p.mp4 HTTP/1.1\r\nX-Padding: " + new string('a', 200_000), 400 },
        { "thousands of headers", "GET /{token}/720p.mp4 HTTP/1.1" + string.Concat(Enumerable.Range(0, 5000).Select(i => $"\r\nX-H{i}: v")), 400 },
        { "huge range header", "GET /{token}/720p.mp4 HTTP/1.1\r\nRange: bytes=" + string.Join(',', Enumerable.Range(0, 2000).Select(i => $"{i}-{i}")), 400 },
        { "huge path", "GET /" + new string('a', 50_000) + " HTTP/1.1", 404 },
        { "another host (DNS rebinding)", "GET /{token}/720p.mp4 HTTP/1.1\r\nHost: evil.example", 404 },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Request_NoPlayerSends_Is4xxAndTheServerGoesOn(string what, string request, int status)
    {
        Streams.Add(Video, 1000);
        var url = await UrlAsync(Video);
        var token = url.Segments[1].TrimEnd('/');
        var text = request.Replace("{token}", token, StringComparison.Ordinal).Replace("{TOKEN}", token.ToUpperInvariant(), StringComparison.Ordinal)
            .Replace("{token-1}", token[..^1], StringComparison.Ordinal);
        var host = text.Contains("\r\nHost:", StringComparison.Ordinal) ? string.Empty : $"\r\nHost: 127.0.0.1:{url.Port}";

        var response = await RawHttp.SendAsync(url.Port, text + host + "\r\nConnection: close\r\n\r\n" + (text.StartsWith("POST", StringComparison.Ordinal) ? "abc" : string.Empty));

        Assert.True(status == response.Status, $"{what}: {response.Text[..Math.Min(300, response.Text.Length)]}");
        if (status == 416)
        {
            Assert.Equal("bytes */1000", response.Header("Content-Range"));
        }

        if (status == 405)
        {
            Assert.Equal("GET, HEAD", response.Header("Allow"));
        }

        Assert.All(Streams.Opened, s => Assert.True(s.Disposed.IsCompleted));
        await AssertStillServesAsync();
    }

    [Theory]
    [InlineData("garbage bytes")]
    [InlineData("half a request line")]
    [InlineData("binary noise")]
    public async Task Request_Garbage_IsRefusedAndTheServerGoesOn(string what)
    {
        Streams.Add(Video, 1000);
        var url = await UrlAsync(Video);
        var bytes = what switch
        {
            "garbage bytes" => Encoding.Latin1.GetBytes("\u0001\u0002garbage \u00ff\u00fe garbage\r\n\r\n"),
            "half a request line" => Encoding.ASCII.GetBytes("GET /"),
            _ => Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7919)).ToArray(),
        };

        var response = await RawHttp.SendAsync(url.Port, bytes);

        Assert.True(response.Status is 0 or (>= 400 and < 500), $"{what}: {response.Text[..Math.Min(300, response.Text.Length)]}");
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Client_SendsHalfARequestAndWaits_OthersAreServed()
    {
        var url = await UrlAsync(Video);
        using var slow = new TcpClient();
        await slow.ConnectAsync(IPAddress.Loopback, url.Port);
        await slow.GetStream().WriteAsync(Encoding.ASCII.GetBytes("GET /"));

        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Client_DropsMidBody_StreamIsDisposedAndTheServerGoesOn()
    {
        Streams.Add(Video, 30_000_000); // Far more than the socket buffers hold: the server is mid-body when the client leaves.
        var url = await UrlAsync(Video);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, url.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {url.PathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1:{url.Port}\r\n\r\n"));
            await stream.ReadExactlyAsync(new byte[100_000]);
            client.Client.LingerState = new LingerOption(true, 0); // A reset, as a player killed mid-video sends.
        }

        var opened = Assert.Single(Streams.Opened);
        await opened.Disposed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(opened.BytesRead < 30_000_000);
        await AssertStillServesAsync();
        Assert.DoesNotContain(Host.Logs.GetSnapshot(), e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task Open_Fails_Is502AndLoggedWithoutTheToken()
    {
        Streams.Add(Video, 1000);
        Streams.FailOpen = key => key == Video ? new MediaCacheException(MediaCacheError.Network, "The media is not cached and the device is offline.") : null;
        var url = await UrlAsync(Video);

        using var response = await GetAsync(url);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var logged = Assert.Single(Host.Logs.GetSnapshot(), e => e.Id.Id == 292);
        Assert.Contains("squat/video/720p", logged.Message, StringComparison.Ordinal);
        Assert.All(Host.Logs.GetSnapshot(), e => Assert.DoesNotContain(url.Segments[1].TrimEnd('/'), e.Message, StringComparison.Ordinal));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Read_FailsMidBody_CutsTheResponseShortAndTheServerGoesOn()
    {
        Streams.Add(Video, 1_000_000);
        Streams.FailReadAfter = 300_000; // Offline at the first byte not cached.
        var url = await UrlAsync(Video);

        using var response = await Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(1_000_000, response.Content.Headers.ContentLength);
        var cut = await Assert.ThrowsAsync<HttpRequestException>(() => response.Content.ReadAsByteArrayAsync());
        Assert.IsType<HttpIOException>(cut.InnerException); // Ended before its length: the player knows it is short.

        Assert.Single(Host.Logs.GetSnapshot(), e => e.Id.Id == 294);
        Streams.FailReadAfter = null;
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Start_PortTakenMeanwhile_ListensOnAnother()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var takenPort = ((IPEndPoint)taken.LocalEndpoint).Port;
        var picks = 0;
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger();

        await using var listener = LocalMediaServerListener.Start((context, _) =>
        {
            context.Response.StatusCode = 204;
            context.Response.Close();
            return Task.CompletedTask;
        }, logger, () => picks++ == 0 ? takenPort : FreePort());

        Assert.NotEqual(takenPort, listener.Port);
        Assert.Contains(logger.Collector.GetSnapshot(), e => e.Id.Id == 291);
        using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{listener.Port}/"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
