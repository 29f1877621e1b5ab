using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OfflineMedia.Cache;
using OfflineMedia.Sync.Internal;
using OfflineMedia.Variants;

namespace OfflineMedia.Tests.Sync;

public sealed class HostBackoffTests
{
    private const string Origin = "https://media.example.com";
    private const string Cdn = "https://cdn.example.net";
    private static readonly MediaKey s_key = new("squat", MediaKind.Video, "720p");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task WaitAsync_ServerAnswered429WithRetryAfter_WaitsThatLongForItAndNotForAnother()
    {
        var backoff = new HostBackoff(_time, TimeSpan.FromSeconds(30), NullLogger.Instance);
        backoff.Record(Origin, Answer(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(5)));

        var origin = backoff.WaitAsync(Origin, s_key, CancellationToken.None);
        var cdn = backoff.WaitAsync(Cdn, s_key, CancellationToken.None);

        Assert.True(cdn.IsCompletedSuccessfully);
        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(origin.IsCompleted);
        Assert.True(backoff.IsPaused(Origin));
        _time.Advance(TimeSpan.FromSeconds(0.1));
        await origin.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(backoff.IsPaused(Origin));
    }

    [Fact]
    public async Task WaitAsync_ALaterAnswerAsksForLonger_WaitsForTheLonger()
    {
        var backoff = new HostBackoff(_time, TimeSpan.FromSeconds(30), NullLogger.Instance);
        backoff.Record(Origin, Answer(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(2)));
        var waiting = backoff.WaitAsync(Origin, s_key, CancellationToken.None);

        backoff.Record(Origin, Answer(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(8)));
        backoff.Record(Origin, Answer(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(1))); // Shorter: the longer pause stands.
        _time.Advance(TimeSpan.FromSeconds(7));

        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        await StepUntilDoneAsync(waiting);
    }

    [Fact]
    public async Task WaitAsync_PauseBeyondMaxRetryAfter_FailsAtOnceCarryingTheStatusAndThePauseLeft()
    {
        var backoff = new HostBackoff(_time, TimeSpan.FromSeconds(30), NullLogger.Instance);
        backoff.Record(Origin, Answer(HttpStatusCode.ServiceUnavailable, TimeSpan.FromMinutes(10)));
        _time.Advance(TimeSpan.FromMinutes(1));

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => backoff.WaitAsync(Origin, s_key, CancellationToken.None));

        Assert.Equal(MediaCacheError.HttpStatus, error.Error);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(9), error.RetryAfter);
        Assert.Equal(s_key, error.Key);
        Assert.Contains(Origin, error.Message, StringComparison.Ordinal);
        Assert.Contains("503", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_NoRetryAfterOrNotTransient_PausesNothing()
    {
        var backoff = new HostBackoff(_time, TimeSpan.FromSeconds(30), NullLogger.Instance);

        backoff.Record(Origin, Answer(HttpStatusCode.ServiceUnavailable, null));
        backoff.Record(Origin, Answer(HttpStatusCode.NotFound, TimeSpan.FromSeconds(5)));
        backoff.Record(Origin, new OperationCanceledException());
        backoff.Record(null, Answer(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(5)));

        Assert.False(backoff.IsPaused(Origin));
    }

    [Theory]
    [InlineData("/media/a.jpg", "https://api.example.com/", "https://api.example.com")]
    [InlineData("https://user:secret@cdn.example.net:8443/v/a.mp4?sig=s", "https://api.example.com/", "https://cdn.example.net:8443")]
    [InlineData("http://CDN.example.net/a.mp4", null, "http://cdn.example.net")]
    [InlineData("/media/a.jpg", null, null)]
    [InlineData("ftp://cdn.example.net/a.mp4", null, null)]
    public void ServerOf_MediaUrl_IsItsSchemeHostAndPortAsTheCacheResolvesIt(string url, string? api, string? expected) =>
        Assert.Equal(expected, HostBackoff.ServerOf(url, api is null ? null : new Uri(api)));

    private static MediaCacheException Answer(HttpStatusCode status, TimeSpan? retryAfter) =>
        new(MediaCacheError.HttpStatus, $"the server answered {(int)status}") { StatusCode = status, RetryAfter = retryAfter, Key = s_key };

    /// <summary>
    /// Waits for <paramref name="waiting"/>, moving the clock on a second at a time if it does not end: a waiter woken on
    /// the pool may read the clock just before a step and set its next delay just after it, a second later than due.
    /// </summary>
    private async Task StepUntilDoneAsync(Task waiting)
    {
        for (var step = 0; step < 5 && !waiting.IsCompleted; step++)
        {
            await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(1)));
            if (!waiting.IsCompleted)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
