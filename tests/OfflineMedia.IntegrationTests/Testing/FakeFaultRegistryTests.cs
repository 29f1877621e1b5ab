using System.Diagnostics;
using System.Net;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Testing;

public sealed class FakeFaultRegistryTests : IAsyncLifetime
{
    private FakeMediaOrigin _origin = null!;
    private HttpClient _client = null!;
    private FakeMediaVariant _image = null!;
    private FakeMediaVariant _video = null!;

    public async Task InitializeAsync()
    {
        _origin = await FakeMediaOrigin.StartAsync(FakeMediaCatalog.CreateWeek(DateTimeOffset.UtcNow));
        _client = _origin.CreateClient();
        _image = _origin.Catalog.GetVariant("squat", FakeMediaKind.Image, "medium");
        _video = _origin.Catalog.GetVariant("squat", FakeMediaKind.Video, "720p");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _origin.DisposeAsync();
    }

    [Fact]
    public async Task Status_WithRetryAfter_AnswersThatStatusAndSeconds()
    {
        _origin.Faults.Set(_image, FakeFault.Status(503, TimeSpan.FromSeconds(2)));

        using var response = await _client.GetAsync(_origin.GetMediaUri(_image));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        Assert.Equal(503, _origin.Requests.ForPath(_image).Single().StatusCode);
    }

    [Fact]
    public async Task Status_RetryAfterAsHttpDate_SendsADate()
    {
        _origin.Faults.Set(_image, FakeFault.Status(429, TimeSpan.FromSeconds(30)) with { RetryAfterAsHttpDate = true });

        using var response = await _client.GetAsync(_origin.GetMediaUri(_image));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter?.Date);
        Assert.True(response.Headers.RetryAfter!.Date > DateTimeOffset.UtcNow.AddSeconds(20));
    }

    [Fact]
    public async Task Status_FirstTwoTimes_ThenServesTheContent()
    {
        _origin.Faults.Set(_image, FakeFault.Status(500, times: 2));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await _client.GetAsync(_origin.GetMediaUri(_image));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.OK, HttpStatusCode.OK], statuses);
    }

    [Fact]
    public async Task Status_OnApiPath_FailsTheJson()
    {
        _origin.Faults.Set("/api/exercises/squat/media", FakeFault.Status(503));

        using var failing = await _client.GetAsync(_origin.GetExerciseMediaUri("squat"));
        using var healthy = await _client.GetAsync(_origin.GetExerciseMediaUri("deadlift"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
    }

    [Fact]
    public async Task Set_PrefixPattern_AppliesToEveryPathUnderIt()
    {
        _origin.Faults.Set("/media/*", FakeFault.Status(502));

        using var media = await _client.GetAsync(_origin.GetMediaUri(_video));
        using var api = await _client.GetAsync(_origin.GetWorkoutUri("w-1"));

        Assert.Equal(HttpStatusCode.BadGateway, media.StatusCode);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task Clear_AfterSet_ServesNormallyAgain()
    {
        _origin.Faults.Set(_image, FakeFault.Status(500));
        using var failing = await _client.GetAsync(_origin.GetMediaUri(_image));

        Assert.True(_origin.Faults.Clear(_image));
        using var healthy = await _client.GetAsync(_origin.GetMediaUri(_image));

        Assert.Equal(HttpStatusCode.InternalServerError, failing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
    }

    [Fact]
    public async Task DropAfter_Bytes_ClientGetsThoseBytesThenAnIOException()
    {
        _origin.Faults.Set(_video, FakeFault.DropAfter(3000));

        using var response = await _client.GetAsync(_origin.GetMediaUri(_video), HttpCompletionOption.ResponseHeadersRead);
        var (received, error) = await OriginHttp.ReadAllAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_video.SizeBytes, response.Content.Headers.ContentLength);
        Assert.IsAssignableFrom<IOException>(error);
        Assert.Equal(3000, received.Length);
        var logged = _origin.Requests.ForPath(_video).Single();
        Assert.True(logged.WasAborted);
        Assert.Equal(3000, logged.BodyBytesSent);
    }

    [Fact]
    public async Task DropAfter_WithRangeResume_SecondRequestFetchesOnlyTheRest()
    {
        _origin.Faults.Set(_video, FakeFault.DropAfter(5000) with { Times = 1 });
        using var first = await _client.GetAsync(_origin.GetMediaUri(_video), HttpCompletionOption.ResponseHeadersRead);
        var (head, _) = await OriginHttp.ReadAllAsync(first);

        using var resumed = await OriginHttp.GetAsync(_client, _video.Path, h =>
        {
            h.Range = new System.Net.Http.Headers.RangeHeaderValue(head.Length, null);
            h.IfRange = new System.Net.Http.Headers.RangeConditionHeaderValue(first.Headers.ETag!);
        });
        var tail = await resumed.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.PartialContent, resumed.StatusCode);
        Assert.Equal(_video.Sha256, OriginHttp.Sha256([.. head, .. tail]));
        Assert.Equal(_video.SizeBytes, _origin.Requests.BodyBytesSent(_video.Path));
    }

    [Fact]
    public async Task OverstateContentLength_Bytes_ClientGetsTheWholeBodyThenAnIOException()
    {
        _origin.Faults.Set(_image, FakeFault.OverstateContentLength(100));

        using var response = await _client.GetAsync(_origin.GetMediaUri(_image), HttpCompletionOption.ResponseHeadersRead);
        var (received, error) = await OriginHttp.ReadAllAsync(response);

        Assert.Equal(_image.SizeBytes + 100, response.Content.Headers.ContentLength);
        Assert.IsAssignableFrom<IOException>(error);
        Assert.Equal(_image.SizeBytes, received.Length);
    }

    [Fact]
    public async Task AppendExtraBytes_Bytes_SendsALongerChunkedBody()
    {
        _origin.Faults.Set(_image, FakeFault.AppendExtraBytes(10));

        using var response = await _client.GetAsync(_origin.GetMediaUri(_image));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal(_image.SizeBytes + 10, body.Length);
        Assert.NotEqual(_image.Sha256, OriginHttp.Sha256(body));
    }

    [Fact]
    public async Task Corrupt_Body_HasTheRightLengthAndTheWrongHash()
    {
        _origin.Faults.Set(_image, FakeFault.Corrupt());

        using var response = await _client.GetAsync(_origin.GetMediaUri(_image));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(_image.SizeBytes, body.Length);
        Assert.NotEqual(_image.Sha256, OriginHttp.Sha256(body));
    }

    [Fact]
    public async Task HtmlPage_OnMedia_AnswersA200HtmlPage()
    {
        _origin.Faults.Set(_video, FakeFault.HtmlPage());

        using var response = await _client.GetAsync(_origin.GetMediaUri(_video));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<!DOCTYPE html>", text, StringComparison.Ordinal);
        Assert.Contains("</html>", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedirectToCdn_OnMedia_FollowsToTheSignedCdnPathAndServesTheFile()
    {
        _origin.Faults.Set(_image, FakeFault.RedirectToCdn());

        using var response = await _client.GetAsync(_origin.GetMediaUri(_image));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var finalUri = response.RequestMessage!.RequestUri!;
        Assert.Equal("/cdn/images/squat/medium/medium.jpg", finalUri.AbsolutePath);
        Assert.Matches("^\\?sig=[0-9a-f]{32}&exp=[0-9]+$", finalUri.Query);
        Assert.Equal(_image.Sha256, OriginHttp.Sha256(body));
        Assert.Equal(302, _origin.Requests.ForPath(_image).Single().StatusCode);
        Assert.Equal(1, _origin.Requests.CountRequests(finalUri.AbsolutePath));
    }

    [Fact]
    public async Task Redirect_WithoutFollowing_Sends302AndLocation()
    {
        _origin.Faults.Set(_image, FakeFault.Redirect(new Uri("/media/images/squat/small/small.jpg", UriKind.Relative)));
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = _origin.BaseAddress };

        using var response = await client.GetAsync(_origin.GetMediaUri(_image));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(_origin.GetUri("/media/images/squat/small/small.jpg"), response.Headers.Location);
    }

    [Fact]
    public async Task Delay_Latency_DelaysTheHeaders()
    {
        _origin.Faults.Set(_image, FakeFault.Delay(TimeSpan.FromMilliseconds(300)));
        var stopwatch = Stopwatch.StartNew();

        using var response = await _client.GetAsync(_origin.GetMediaUri(_image), HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(250), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task StallAfter_Forever_SendsThoseBytesThenNothingUntilTheClientGivesUp()
    {
        _origin.Faults.Set(_video, FakeFault.StallAfter(2000));

        using var response = await _client.GetAsync(_origin.GetMediaUri(_video), HttpCompletionOption.ResponseHeadersRead);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var (received, error) = await OriginHttp.ReadAllAsync(response, timeout.Token);
        response.Dispose();

        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.Equal(2000, received.Length);
        var logged = _origin.Requests.ForPath(_video).Single();
        Assert.Equal(2000, logged.BodyBytesSent);
        await WaitUntilAsync(() => logged.IsCompleted);
        Assert.True(logged.WasAborted);
    }

    [Fact]
    public async Task StallAfter_WithDuration_ThenSendsTheRest()
    {
        _origin.Faults.Set(_image, FakeFault.StallAfter(100, TimeSpan.FromMilliseconds(300)));
        var stopwatch = Stopwatch.StartNew();

        using var response = await _client.GetAsync(_origin.GetMediaUri(_image));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(250), $"took {stopwatch.Elapsed}");
        Assert.Equal(_image.Sha256, OriginHttp.Sha256(body));
    }

    [Fact]
    public async Task DisposeAsync_WhileAResponseStalls_StopsPromptly()
    {
        var origin = await FakeMediaOrigin.StartAsync(FakeMediaCatalog.CreateWeek(DateTimeOffset.UtcNow));
        origin.Faults.Set("/media/*", FakeFault.StallAfter(10));
        using var client = origin.CreateClient();
        using var response = await client.GetAsync(origin.GetMediaUri("squat", FakeMediaKind.Video, "720p"), HttpCompletionOption.ResponseHeadersRead);
        var reading = OriginHttp.ReadAllAsync(response);

        var stopwatch = Stopwatch.StartNew();
        await origin.DisposeAsync();
        var (received, error) = await reading.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"took {stopwatch.Elapsed}");
        Assert.Equal(10, received.Length);
        Assert.NotNull(error);
    }

    [Fact]
    public void Set_NegativeBytes_Throws()
        => Assert.Throws<ArgumentOutOfRangeException>(() => _origin.Faults.Set(_image, FakeFault.DropAfter(-1)));

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(condition(), "condition not met within 5 s");
    }
}
