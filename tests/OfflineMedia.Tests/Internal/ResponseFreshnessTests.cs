using System.Net;
using OfflineMedia.Internal;

namespace OfflineMedia.Tests.Internal;

public sealed class ResponseFreshnessTests
{
    private static readonly DateTimeOffset s_received = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("max-age=3600", null, null, null, 3600)] // Fresh for an hour from its arrival.
    [InlineData("max-age=3600", null, "600", null, 3000)] // A cache on the way held it for 10 minutes.
    [InlineData("max-age=3600", null, null, -900, 2700)] // Dated 15 minutes before it arrived.
    [InlineData("max-age=31536000, immutable", null, null, null, 31536000)]
    [InlineData("no-cache", null, null, null, 0)] // Stale at once: asked about on every use.
    [InlineData("no-store", null, null, null, 0)]
    [InlineData("max-age=60, no-cache", null, null, null, 0)]
    [InlineData("s-maxage=3600", null, null, null, null)] // For shared caches only.
    [InlineData(null, 7200, null, 0, 7200)] // Expires two hours after its Date.
    [InlineData("max-age=60", 7200, null, 0, 60)] // max-age wins over Expires.
    [InlineData(null, null, null, null, null)] // The origin said nothing: the heuristic decides.
    public void FreshUntil_Headers_GiveTheLifetimeLessTheAge(string? cacheControl, int? expiresAfterDate, string? age, int? dateOffset, int? freshSeconds)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        if (cacheControl is not null)
        {
            response.Headers.TryAddWithoutValidation("Cache-Control", cacheControl);
        }

        var date = s_received.AddSeconds(dateOffset ?? 0);
        if (dateOffset is not null)
        {
            response.Headers.Date = date;
        }

        if (expiresAfterDate is { } expires)
        {
            response.Content.Headers.Expires = date.AddSeconds(expires);
        }

        if (age is not null)
        {
            response.Headers.TryAddWithoutValidation("Age", age);
        }

        var freshness = ResponseFreshness.Of(response);

        Assert.Equal(freshSeconds is not null, freshness.IsKnown);
        Assert.Equal(freshSeconds is { } seconds ? s_received.AddSeconds(seconds).ToUnixTimeMilliseconds() : null, freshness.FreshUntil(s_received));
    }

    [Fact]
    public void FreshUntil_ExpiresThatDoesNotParse_IsAlreadyExpired()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        response.Content.Headers.TryAddWithoutValidation("Expires", "0");

        Assert.Equal(s_received.ToUnixTimeMilliseconds(), ResponseFreshness.Of(response).FreshUntil(s_received));
    }
}
