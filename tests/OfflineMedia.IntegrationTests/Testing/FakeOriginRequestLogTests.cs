using System.Net;
using System.Net.Http.Headers;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Testing;

public sealed class FakeOriginRequestLogTests : IAsyncLifetime
{
    private FakeMediaOrigin _origin = null!;
    private HttpClient _client = null!;
    private FakeMediaVariant _image = null!;

    public async Task InitializeAsync()
    {
        _origin = await FakeMediaOrigin.StartAsync(FakeMediaCatalog.CreateWeek(DateTimeOffset.UtcNow));
        _client = _origin.CreateClient();
        _image = _origin.Catalog.GetVariant("squat", FakeMediaKind.Image, "small");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _origin.DisposeAsync();
    }

    [Fact]
    public async Task CountRequests_ConcurrentGets_CountsEachOne()
    {
        _origin.Faults.Set(_image, FakeFault.Delay(TimeSpan.FromMilliseconds(100)));

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _client.GetByteArrayAsync(_origin.GetMediaUri(_image))));

        Assert.Equal(20, _origin.Requests.CountRequests(_image.Path));
        Assert.Equal(20, _origin.Requests.CountRequests(_image.Path, "GET"));
        Assert.Equal(0, _origin.Requests.CountRequests(_image.Path, "HEAD"));
        Assert.Equal(20 * _image.SizeBytes, _origin.Requests.BodyBytesSent(_image.Path));
    }

    [Fact]
    public async Task CountRequests_AbsoluteUrlOrQuery_CountsByPath()
    {
        await _client.GetByteArrayAsync(_origin.GetMediaUri(_image));
        await _client.GetByteArrayAsync(_origin.GetSignedCdnUri(_image));

        Assert.Equal(1, _origin.Requests.CountRequests(_origin.GetMediaUri(_image).AbsoluteUri));
        Assert.Equal(1, _origin.Requests.CountRequests("/cdn/images/squat/small/small.jpg?sig=whatever"));
    }

    [Fact]
    public async Task Requests_RangeAndConditionalHeaders_AreRecordedWithStatusAndBytes()
    {
        using var ranged = await OriginHttp.GetAsync(_client, _image.Path, h =>
        {
            h.Range = new RangeHeaderValue(100, null);
            h.IfRange = new RangeConditionHeaderValue(EntityTagHeaderValue.Parse(_image.ETag));
        });
        await ranged.Content.ReadAsByteArrayAsync();
        using var conditional = await OriginHttp.GetAsync(_client, _image.Path, h =>
        {
            h.IfNoneMatch.Add(EntityTagHeaderValue.Parse(_image.ETag));
            h.IfModifiedSince = _image.LastModified;
        });

        var requests = _origin.Requests.ForPath(_image);
        Assert.Equal(2, requests.Count);
        Assert.Equal("bytes=100-", requests[0].Range);
        Assert.Equal(_image.ETag, requests[0].IfRange);
        Assert.Equal(206, requests[0].StatusCode);
        Assert.Equal(_image.SizeBytes - 100, requests[0].BodyBytesSent);
        Assert.True(requests[0].IsCompleted);
        Assert.Equal(_image.ETag, requests[1].IfNoneMatch);
        Assert.NotNull(requests[1].IfModifiedSince);
        Assert.Equal(304, requests[1].StatusCode);
        Assert.Equal(0, requests[1].BodyBytesSent);
    }

    [Fact]
    public async Task WaitForRequestAsync_RequestStillInFlight_CompletesWhenItArrives()
    {
        _origin.Faults.Set(_image, FakeFault.Delay(TimeSpan.FromSeconds(1)));
        var waiting = _origin.Requests.WaitForRequestAsync(_image.Path);
        Assert.False(waiting.IsCompleted);

        var download = _client.GetByteArrayAsync(_origin.GetMediaUri(_image));
        var request = await waiting.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("GET", request.Method);
        Assert.False(request.IsCompleted);
        await download;
        Assert.True(request.IsCompleted);
        Assert.Equal(200, request.StatusCode);
    }

    [Fact]
    public async Task WaitForRequestAsync_Cancelled_Throws()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _origin.Requests.WaitForRequestAsync("/never", cancellation.Token));
    }

    [Fact]
    public async Task Clear_AfterRequests_ForgetsThem()
    {
        using var response = await _client.GetAsync(_origin.GetWorkoutUri("w-1"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        _origin.Requests.Clear();

        Assert.Equal(0, _origin.Requests.Count);
        Assert.Empty(_origin.Requests.All);
    }
}
