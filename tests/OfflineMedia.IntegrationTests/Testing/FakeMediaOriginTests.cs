using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Testing;

public sealed class FakeMediaOriginTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(s_start);
    private FakeMediaOrigin _origin = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var catalog = FakeMediaCatalog.CreateWeek(s_start)
            .AddExercise("sparse", "Sparse", e => e.AddImage("small", 3000).AddVideo("720p", 9000, FakeVariantForm.Rich));
        _origin = await FakeMediaOrigin.StartAsync(catalog, new FakeMediaOriginOptions { TimeProvider = _time });
        _client = _origin.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _origin.DisposeAsync();
    }

    [Fact]
    public void StartAsync_Loopback_ListensOnAFreePort()
    {
        Assert.Equal("127.0.0.1", _origin.BaseAddress.Host);
        Assert.NotEqual(0, _origin.BaseAddress.Port);
        Assert.EndsWith("/", _origin.BaseAddress.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExerciseMedia_PlainForm_ListsRelativeUrlStrings()
    {
        using var json = await GetJsonAsync("/api/exercises/squat/media");

        var images = json.RootElement.GetProperty("images");
        var videos = json.RootElement.GetProperty("videos");
        Assert.Equal("/media/images/squat/thumbnail/thumbnail.jpg", images.GetProperty("thumbnail").GetString());
        Assert.Equal(["thumbnail", "small", "medium", "large", "original"], images.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["720p", "1080p", "original", "poster"], videos.EnumerateObject().Select(p => p.Name));
        Assert.Equal("/media/videos/squat/poster/poster.jpg", videos.GetProperty("poster").GetString());
    }

    [Fact]
    public async Task ExerciseMedia_RichForm_GivesUrlBytesAndSha256OfTheServedContent()
    {
        var variant = _origin.Catalog.GetVariant("deadlift", FakeMediaKind.Image, "medium");
        Assert.Equal(FakeVariantForm.Rich, variant.Form);

        using var json = await GetJsonAsync("/api/exercises/deadlift/media");
        var medium = json.RootElement.GetProperty("images").GetProperty("medium");

        Assert.Equal(variant.Path, medium.GetProperty("url").GetString());
        Assert.Equal(variant.SizeBytes, medium.GetProperty("bytes").GetInt64());
        Assert.Equal(variant.Sha256, medium.GetProperty("sha256").GetString());
        var body = await _client.GetByteArrayAsync(medium.GetProperty("url").GetString());
        Assert.Equal(medium.GetProperty("sha256").GetString(), OriginHttp.Sha256(body));
    }

    [Fact]
    public async Task ExerciseMedia_MissingVariants_AreLeftOut()
    {
        using var json = await GetJsonAsync("/api/exercises/sparse/media");

        Assert.Equal(["small"], json.RootElement.GetProperty("images").EnumerateObject().Select(p => p.Name));
        var video = Assert.Single(json.RootElement.GetProperty("videos").EnumerateObject());
        Assert.Equal("720p", video.Name);
        Assert.Equal(9000, video.Value.GetProperty("bytes").GetInt64());
    }

    [Fact]
    public async Task ExerciseMedia_UnknownExercise_Returns404()
    {
        using var response = await _client.GetAsync(new Uri("/api/exercises/nope/media", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ExerciseMedia_SignedCdnStyle_GivesFreshAbsoluteSignedUrlsThatServeTheFile()
    {
        var variant = _origin.Catalog.GetVariant("squat", FakeMediaKind.Image, "small");
        variant.UrlStyle = FakeMediaUrlStyle.SignedCdn;

        using var first = await GetJsonAsync("/api/exercises/squat/media");
        using var second = await GetJsonAsync("/api/exercises/squat/media");
        var url = new Uri(first.RootElement.GetProperty("images").GetProperty("small").GetString()!);
        var otherUrl = new Uri(second.RootElement.GetProperty("images").GetProperty("small").GetString()!);

        Assert.True(url.IsAbsoluteUri);
        Assert.Equal(_origin.BaseAddress.Authority, url.Authority);
        Assert.Equal("/cdn/images/squat/small/small.jpg", url.AbsolutePath);
        Assert.Contains("sig=", url.Query, StringComparison.Ordinal);
        Assert.Contains("exp=", url.Query, StringComparison.Ordinal);
        Assert.NotEqual(url, otherUrl);
        var body = await _client.GetByteArrayAsync(url);
        Assert.Equal(variant.Sha256, OriginHttp.Sha256(body));
    }

    [Fact]
    public async Task ExerciseMedia_AbsoluteStyle_GivesAbsoluteMediaUrls()
    {
        var variant = _origin.Catalog.GetVariant("squat", FakeMediaKind.Video, "720p");
        variant.UrlStyle = FakeMediaUrlStyle.Absolute;

        using var json = await GetJsonAsync("/api/exercises/squat/media");

        Assert.Equal(_origin.GetMediaUri(variant).AbsoluteUri, json.RootElement.GetProperty("videos").GetProperty("720p").GetString());
    }

    [Fact]
    public async Task Cdn_WithoutSignature_Returns403()
    {
        using var response = await _client.GetAsync(new Uri("/cdn/images/squat/small/small.jpg", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Workout_Known_ReturnsIdNameScheduleAndNamedExercises()
    {
        using var json = await GetJsonAsync("/api/workouts/w-2");
        var root = json.RootElement;

        Assert.Equal("w-2", root.GetProperty("id").GetString());
        Assert.Equal("Push", root.GetProperty("name").GetString());
        Assert.Equal(s_start.AddDays(1).AddHours(2), root.GetProperty("scheduledAt").GetDateTimeOffset());
        var exercises = root.GetProperty("exercises").EnumerateArray().ToList();
        Assert.Equal(["bench-press", "overhead-press", "push-up", "plank"], exercises.Select(e => e.GetProperty("id").GetString()));
        Assert.Equal("Bench Press", exercises[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Workout_Unknown_Returns404()
    {
        using var response = await _client.GetAsync(_origin.GetWorkoutUri("w-none"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData(7, new[] { "w-1", "w-2", "w-3", "w-4", "w-5", "w-6" })]
    [InlineData(1, new[] { "w-1" })]
    [InlineData(0, new string[0])]
    public async Task Upcoming_Days_ReturnsWorkoutsScheduledInTheWindow(int days, string[] expected)
    {
        using var json = await GetJsonAsync($"/api/workouts/upcoming?days={days}");

        Assert.Equal(expected, json.RootElement.EnumerateArray().Select(w => w.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Upcoming_TimeAdvanced_UsesTheOriginsTimeProvider()
    {
        _time.Advance(TimeSpan.FromDays(2));

        using var json = await GetJsonAsync("/api/workouts/upcoming?days=7");

        Assert.Equal(["w-3", "w-4", "w-5", "w-6"], json.RootElement.EnumerateArray().Select(w => w.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Upcoming_InvalidDays_Returns400()
    {
        using var response = await _client.GetAsync(new Uri("/api/workouts/upcoming?days=soon", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Media_FullGet_SendsValidatorsAndTheCatalogsContent()
    {
        var variant = _origin.Catalog.GetVariant("squat", FakeMediaKind.Image, "large");

        using var response = await _client.GetAsync(_origin.GetMediaUri(variant));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(variant.SizeBytes, response.Content.Headers.ContentLength);
        Assert.Equal(variant.SizeBytes, body.Length);
        Assert.Equal(variant.ETag, response.Headers.ETag?.ToString());
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.Equal(variant.LastModified, response.Content.Headers.LastModified);
        Assert.Contains("bytes", response.Headers.AcceptRanges);
        Assert.Equal(variant.Sha256, OriginHttp.Sha256(body));
        Assert.Equal([0xFF, 0xD8, 0xFF], body[..3]);
        Assert.Equal([0xFF, 0xD9], body[^2..]);
    }

    [Fact]
    public async Task Media_Video_StartsWithAnMp4FtypBox()
    {
        var variant = _origin.Catalog.GetVariant("squat", FakeMediaKind.Video, "1080p");

        using var response = await _client.GetAsync(_origin.GetMediaUri(variant));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ftyp"u8.ToArray(), body[4..8]);
        Assert.Equal(variant.Sha256, OriginHttp.Sha256(body));
    }

    [Fact]
    public async Task Media_Head_SendsHeadersWithoutBody()
    {
        var variant = _origin.Catalog.GetVariant("squat", FakeMediaKind.Image, "small");

        using var request = new HttpRequestMessage(HttpMethod.Head, _origin.GetMediaUri(variant));
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(variant.SizeBytes, response.Content.Headers.ContentLength);
        Assert.Equal(0, _origin.Requests.ForPath(variant).Single().BodyBytesSent);
    }

    [Fact]
    public async Task Media_WrongFileName_Returns404()
    {
        using var response = await _client.GetAsync(new Uri("/media/images/squat/small/other.jpg", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Media_Range_Returns206WithThatSlice()
    {
        var variant = _origin.Catalog.GetVariant("squat", FakeMediaKind.Image, "medium");
        var full = await _client.GetByteArrayAsync(_origin.GetMediaUri(variant));

        using var response = await OriginHttp.GetAsync(_client, variant.Path, h => h.Range = new RangeHeaderValue(100, 1099));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes 100-1099/{variant.SizeBytes}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(1000, response.Content.Headers.ContentLength);
        Assert.Equal(full[100..1100], body);
    }

    [Fact]
    public async Task Media_OpenEndedAndSuffixRanges_Return206WithTheTail()
    {
        var variant = _origin.Catalog.GetVariant("squat", FakeMediaKind.Image, "medium");
        var full = await _client.GetByteArrayAsync(_origin.GetMediaUri(variant));

        using var openEnded = await OriginHttp.GetAsync(_client, variant.Path, h => h.Range = new RangeHeaderValue(4000, null));
        using var suffix = await OriginHttp.GetAsync(_client, variant.Path, h => h.Range = new RangeHeaderValue(null, 10));

        Assert.Equal(HttpStatusCode.PartialContent, openEnded.StatusCode);
        Assert.Equal(full[4000..], await openEnded.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.PartialContent, suffix.StatusCode);
        Assert.Equal(full[^10..], await suffix.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Media_RangeBeyondEnd_Returns416WithTheLength()
    {
        var variant = _origin.Catalog.GetVariant("squat", FakeMediaKind.Image, "small");

        using var response = await OriginHttp.GetAsync(_client, variant.Path, h => h.Range = new RangeHeaderValue(variant.SizeBytes, null));

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal($"bytes */{variant.SizeBytes}", response.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task Media_IfRangeMatchingETag_Returns206()
    {
        var variant = _origin.Catalog.GetVariant("squat", FakeMediaKind.Image, "small");

        using var response = await OriginHttp.GetAsync(_client, variant.Path, h =>
        {
            h.Range = new RangeHeaderValue(10, null);
            h.IfRange = new RangeConditionHeaderValue(EntityTagHeaderValue.Parse(variant.ETag));
        });

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(variant.SizeBytes - 10, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task Media_IfRangeMatchingDate_Returns206()
    {
        var variant = _origin.Catalog.GetVariant("squat", FakeMediaKind.Image, "small");

        using var response = await OriginHttp.GetAsync(_client, variant.Path, h =>
        {
            h.Range = new RangeHeaderValue(10, 19);
            h.IfRange = new RangeConditionHeaderValue(variant.LastModified);
        });

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
    }

    [Fact]
    public async Task Media_IfRangeAfterContentChanged_Returns200WithTheNewContent()
    {
        var variant = _origin.Catalog.GetVariant("lunge", FakeMediaKind.Image, "small");
        var oldETag = variant.ETag;
        var oldModified = variant.LastModified;
        variant.ChangeContent();

        using var byTag = await OriginHttp.GetAsync(_client, variant.Path, h =>
        {
            h.Range = new RangeHeaderValue(10, null);
            h.IfRange = new RangeConditionHeaderValue(EntityTagHeaderValue.Parse(oldETag));
        });
        using var byDate = await OriginHttp.GetAsync(_client, variant.Path, h =>
        {
            h.Range = new RangeHeaderValue(10, null);
            h.IfRange = new RangeConditionHeaderValue(oldModified);
        });

        Assert.Equal(HttpStatusCode.OK, byTag.StatusCode);
        Assert.Equal(variant.ETag, byTag.Headers.ETag?.ToString());
        Assert.Equal(variant.Sha256, OriginHttp.Sha256(await byTag.Content.ReadAsByteArrayAsync()));
        Assert.Equal(HttpStatusCode.OK, byDate.StatusCode);
    }

    [Fact]
    public async Task Media_IfNoneMatchCurrentETag_Returns304()
    {
        var variant = _origin.Catalog.GetVariant("squat", FakeMediaKind.Image, "small");

        using var response = await OriginHttp.GetAsync(_client, variant.Path, h => h.IfNoneMatch.Add(EntityTagHeaderValue.Parse(variant.ETag)));

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(variant.ETag, response.Headers.ETag?.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Media_IfNoneMatchAfterContentChanged_Returns200()
    {
        var variant = _origin.Catalog.GetVariant("row", FakeMediaKind.Image, "small");
        var oldETag = variant.ETag;
        variant.ChangeContent(sizeBytes: 777);

        using var response = await OriginHttp.GetAsync(_client, variant.Path, h => h.IfNoneMatch.Add(EntityTagHeaderValue.Parse(oldETag)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(777, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task Media_IfModifiedSince_Returns304UntilContentChanges()
    {
        var variant = _origin.Catalog.GetVariant("plank", FakeMediaKind.Image, "small");
        var since = variant.LastModified;

        using var unchanged = await OriginHttp.GetAsync(_client, variant.Path, h => h.IfModifiedSince = since);
        variant.ChangeContent();
        using var changed = await OriginHttp.GetAsync(_client, variant.Path, h => h.IfModifiedSince = since);

        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
    }

    [Fact]
    public async Task Api_Post_Returns405()
    {
        using var content = new StringContent("x");
        using var response = await _client.PostAsync(new Uri("/api/workouts/w-1", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task DisposeAsync_Twice_IsHarmless()
    {
        await using var origin = await FakeMediaOrigin.StartAsync(new FakeMediaCatalog());

        await origin.DisposeAsync();
        await origin.DisposeAsync();
    }

    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
    }
}
