using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OfflineMedia.Catalog;
using OfflineMedia.Variants;

namespace OfflineMedia.Tests.Catalog;

/// <summary>The default media-info client against a stub server: both variant forms, unknown variants, and hostile answers.</summary>
public sealed class HttpExerciseMediaClientTests
{
    private const string Sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    [Fact]
    public async Task GetMedia_PlainAndRichForms_ParseUrlsSizesAndDigests()
    {
        using var api = StubApi.Json($$"""
            {
              "images": { "small": "/media/images/squat/small/small.jpg", "medium": { "url": "https://cdn.test/m.jpg?sig=abc", "bytes": 51200, "sha256": "{{Sha.ToUpperInvariant()}}" } },
              "videos": { "720p": { "url": "/media/videos/squat/720p/720p.mp4" }, "poster": "/media/videos/squat/poster/poster.jpg" }
            }
            """);

        var media = await api.MediaClient.GetMediaAsync("squat");

        var small = media.Find(MediaKind.Image, MediaVariantNames.Small)!;
        Assert.Equal("/media/images/squat/small/small.jpg", small.Url);
        Assert.Null(small.Bytes);
        Assert.Null(small.Sha256);
        var medium = media.Find(MediaKind.Image, MediaVariantNames.Medium)!;
        Assert.Equal("https://cdn.test/m.jpg?sig=abc", medium.Url);
        Assert.Equal(51200, medium.Bytes);
        Assert.Equal(Sha, medium.Sha256);
        Assert.Equal("/media/videos/squat/720p/720p.mp4", media.Find(MediaKind.Video, MediaVariantNames.Video720p)!.Url);
        Assert.Equal("/media/videos/squat/poster/poster.jpg", media.Poster!.Url);
        Assert.Equal(["small", "medium"], media.Images.Select(v => v.Name));
    }

    [Fact]
    public async Task GetMedia_UnknownVariantsAndFields_AreIgnored()
    {
        using var api = StubApi.Json("""
            {
              "images": { "8k": "/a.jpg", "medium": { "url": "/m.jpg", "width": 800, "extra": { "nested": [1, 2, { "x": null }] } } },
              "videos": { "hls": { "url": "/v.m3u8" }, "720p": "/v.mp4" },
              "audio": { "mp3": "/x.mp3" },
              "updatedAt": "2026-01-01"
            }
            """);

        var media = await api.MediaClient.GetMediaAsync("squat");

        Assert.Equal(["medium"], media.Images.Select(v => v.Name));
        Assert.Equal("/m.jpg", media.Images.Single().Url);
        Assert.Equal(["720p"], media.Videos.Select(v => v.Name));
        Assert.Null(media.Poster);
    }

    [Theory]
    [InlineData("""{ "images": { "8k": null }, "videos": { "720p": "/v.mp4" } }""")]
    [InlineData("""{ "images": { "8k": { "bytes": 5 } }, "videos": { "720p": "/v.mp4" } }""")]
    [InlineData("""{ "images": { "": "/a.jpg", " ": "/b.jpg" }, "videos": { "720p": "/v.mp4" } }""")]
    [InlineData("""{ "images": { "hdr": ["/a.jpg", "/b.jpg"], "8k": 12 }, "videos": { "720p": "/v.mp4" } }""")]
    public async Task GetMedia_UnknownVariantOfAnyShape_IsIgnoredNotFatal(string json)
    {
        using var api = StubApi.Json(json);

        var media = await api.MediaClient.GetMediaAsync("squat");

        Assert.Empty(media.Images);
        Assert.Equal("/v.mp4", Assert.Single(media.Videos).Url);
    }

    [Fact]
    public async Task GetMedia_EmptyObject_HasNoVariants()
    {
        using var api = StubApi.Json("{}");

        var media = await api.MediaClient.GetMediaAsync("squat");

        Assert.Empty(media.Images);
        Assert.Empty(media.Videos);
        Assert.Null(media.Poster);
    }

    [Fact]
    public async Task GetMedia_PropertyNamesInAnotherCase_AreRead()
    {
        using var api = StubApi.Json("""{ "Images": { "medium": { "URL": "/m.jpg", "Bytes": 7 } } }""");

        var media = await api.MediaClient.GetMediaAsync("squat");

        Assert.Equal("/m.jpg", Assert.Single(media.Images).Url);
    }

    [Theory]
    [InlineData("""{ "images": ["/a.jpg"] }""", "$.images")]
    [InlineData("""{ "images": "/a.jpg" }""", "$.images")]
    [InlineData("""{ "images": { "small": { "url": 42 } } }""", "$.images.small")]
    [InlineData("""{ "images": { "small": { "url": "/a.jpg", "bytes": "big" } } }""", "$.images.small")]
    [InlineData("""{ "images": { "small": { "url": "/a.jpg", "bytes": 1.5 } } }""", "$.images.small")]
    [InlineData("""{ "images": { "small": { "url": "/a.jpg", "bytes": 99999999999999999999 } } }""", "$.images.small")]
    [InlineData("""{ "images": { "small": { "url": "/a.jpg", "sha256": {} } } }""", "$.images.small")]
    public async Task GetMedia_WrongTypes_AreInvalidResponsesNamingWhere(string json, string path)
    {
        using var api = StubApi.Json(json);

        var error = await Assert.ThrowsAsync<CatalogException>(() => api.MediaClient.GetMediaAsync("squat"));

        Assert.Equal(CatalogError.InvalidResponse, error.Error);
        Assert.False(error.IsTransient);
        Assert.Contains("exercise 'squat'", error.Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON of the expected shape", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "images": { "small": "/a.jpg" """, "not valid JSON")]
    [InlineData("""{ "images": { "small": "/a.jpg" } } trailing""", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("<!DOCTYPE html><html><body>Sign in</body></html>", "not valid JSON")]
    [InlineData("null", "it is null")]
    [InlineData("""{ "images": { "small": null } }""", "images.small has no URL")]
    [InlineData("""{ "images": { "small": 5 } }""", "images.small has no URL")]
    [InlineData("""{ "images": { "small": true } }""", "images.small has no URL")]
    [InlineData("""{ "videos": { "720p": ["/a.mp4"] } }""", "videos.720p has no URL")]
    [InlineData("""{ "images": { "small": "" } }""", "images.small has no URL")]
    [InlineData("""{ "images": { "small": { "bytes": 5, "sha256": null } } }""", "images.small has no URL")]
    [InlineData("""{ "videos": { "poster": { "url": "  " } } }""", "videos.poster has no URL")]
    [InlineData("""{ "images": { "small": { "url": "/a.jpg", "bytes": -1 } } }""", "images.small has a negative size")]
    [InlineData("""{ "images": { "small": { "url": "/a.jpg", "sha256": "xyz" } } }""", "images.small has a sha256 that is not 64 hex digits")]
    [InlineData("""{ "images": { "small": { "url": "/a.jpg", "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0g" } } }""", "not 64 hex digits")]
    [InlineData("""{ "images": { "poster": "/p1.jpg" }, "videos": { "poster": "/p2.jpg" } }""", "a poster under both images and videos")]
    public async Task GetMedia_MalformedAnswer_IsAnInvalidResponseWithAClearReason(string json, string reason)
    {
        using var api = StubApi.Json(json);

        var error = await Assert.ThrowsAsync<CatalogException>(() => api.MediaClient.GetMediaAsync("squat"));

        Assert.Equal(CatalogError.InvalidResponse, error.Error);
        Assert.Contains("the media of exercise 'squat'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMedia_TooDeeplyNested_IsInvalid()
    {
        var json = """{ "images": { "small": { "url": "/a.jpg", "x": """ + new string('[', 100) + new string(']', 100) + " } } }";
        using var api = StubApi.Json(json);

        var error = await Assert.ThrowsAsync<CatalogException>(() => api.MediaClient.GetMediaAsync("squat"));

        Assert.Equal(CatalogError.InvalidResponse, error.Error);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetMedia_DocumentOver8MiB_IsRefusedWithoutReadingItAll(bool declaresLength)
    {
        var huge = "{ \"images\": { \"small\": \"/" + new string('a', 9 * 1024 * 1024) + "\" } }";
        var body = Encoding.UTF8.GetBytes(huge);
        var stream = new CountingStream(body);
        using var api = new StubApi(_ =>
        {
            HttpContent content = new ChunkedContent(stream);
            content.Headers.ContentType = new("application/json");
            content.Headers.ContentLength = declaresLength ? body.Length : null;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        });

        var error = await Assert.ThrowsAsync<CatalogException>(() => api.MediaClient.GetMediaAsync("squat"));

        Assert.Equal(CatalogError.InvalidResponse, error.Error);
        Assert.Contains("8388608", error.Message, StringComparison.Ordinal);
        Assert.InRange(stream.BytesRead, 0, declaresLength ? 0 : (8 * 1024 * 1024) + (64 * 1024));
    }

    [Fact]
    public async Task GetMedia_IdWithSpacesSlashesAndUnicode_IsOneEscapedPathSegment()
    {
        using var api = StubApi.Json("{}");

        await api.MediaClient.GetMediaAsync("front squat/45° ü?x#y");

        var uri = Assert.Single(api.Requests);
        Assert.Equal("https://api.test/api/exercises/front%20squat%2F45%C2%B0%20%C3%BC%3Fx%23y/media", uri.AbsoluteUri);
    }

    [Fact]
    public async Task GetMedia_404_IsNotFoundNamingTheExercise()
    {
        using var api = StubApi.Status(HttpStatusCode.NotFound);

        var error = await Assert.ThrowsAsync<CatalogException>(() => api.MediaClient.GetMediaAsync("squat"));

        Assert.Equal(CatalogError.NotFound, error.Error);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.Contains("'squat'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMedia_EmptyId_Throws()
    {
        using var api = StubApi.Json("{}");

        await Assert.ThrowsAnyAsync<ArgumentException>(() => api.MediaClient.GetMediaAsync(""));
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task GetMedia_CustomRoute_IsUsed()
    {
        using var api = StubApi.Json("{}", o => o.ExerciseMediaRoute = "v2/media/{exerciseId}");

        await api.MediaClient.GetMediaAsync("squat");

        Assert.Equal("https://api.test/v2/media/squat", Assert.Single(api.Requests).AbsoluteUri);
    }
}

/// <summary>
/// The SDK's catalog wired through DI with a stub primary handler on the API client (what
/// <c>ConfigureApiHttpClient</c> allows an app): records each request URI and answers with <c>respond</c>.
/// </summary>
internal sealed class StubApi : IDisposable
{
    private readonly ServiceProvider _provider;
    private readonly List<Uri> _requests = [];

    public StubApi(Func<HttpRequestMessage, HttpResponseMessage> respond, Action<OfflineMediaOptions>? configure = null, Uri? baseAddress = null)
        : this((request, _) => Task.FromResult(respond(request)), configure, baseAddress)
    {
    }

    public StubApi(
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond,
        Action<OfflineMediaOptions>? configure = null,
        Uri? baseAddress = null,
        Action<IHttpClientBuilder>? client = null)
    {
        var services = new ServiceCollection();
        services.AddOfflineMedia(o =>
            {
                o.ApiBaseAddress = baseAddress ?? new Uri("https://api.test/");
                o.CacheDirectory = Path.Combine(Path.GetTempPath(), "offline-media-unit", Guid.NewGuid().ToString("N"));
                configure?.Invoke(o);
            })
            .ConfigureApiHttpClient(b =>
            {
                b.ConfigurePrimaryHttpMessageHandler(() => new Handler(this, respond));
                client?.Invoke(b);
            });
        _provider = services.BuildServiceProvider();
    }

    public IReadOnlyList<Uri> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public IWorkoutCatalog Catalog => _provider.GetRequiredService<IWorkoutCatalog>();

    public IExerciseMediaClient MediaClient => _provider.GetRequiredService<IExerciseMediaClient>();

    public static StubApi Json(string json, Action<OfflineMediaOptions>? configure = null, Uri? baseAddress = null) =>
        new(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") }, configure, baseAddress);

    public static StubApi Status(HttpStatusCode status, Action<HttpResponseMessage>? adjust = null) =>
        new(_ =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent("nope") };
            adjust?.Invoke(response);
            return response;
        });

    public void Dispose() => _provider.Dispose();

    private sealed class Handler(StubApi api, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (api._requests)
            {
                api._requests.Add(request.RequestUri!);
            }

            return respond(request, cancellationToken);
        }
    }
}

/// <summary>A forward-only body stream that counts what was read from it.</summary>
internal sealed class CountingStream(byte[] data) : Stream
{
    private readonly MemoryStream _inner = new(data);

    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Counted(_inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Counted(_inner.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Counted(int read)
    {
        BytesRead += read;
        return read;
    }
}

/// <summary>Content without a declared length, as a chunked response has.</summary>
internal sealed class ChunkedContent(Stream stream) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream target, System.Net.TransportContext? context) => stream.CopyToAsync(target);

    protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult(stream);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
