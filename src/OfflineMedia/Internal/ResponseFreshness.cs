namespace OfflineMedia.Internal;

/// <summary>
/// How long a response stays fresh, as HTTP caching (RFC 9111) reads its headers for a private cache: <c>max-age</c>
/// (<c>s-maxage</c> is for shared caches), else <c>Expires</c> less <c>Date</c>, less the age the response already had
/// (<c>Age</c>, or the time since its <c>Date</c>). <c>no-cache</c> and <c>no-store</c> make it stale at once, to be
/// revalidated on every use. Without any of them the origin said nothing, and the caller's heuristic applies.
/// </summary>
/// <param name="MaxAge">The lifetime <c>max-age</c> gives (zero for <c>no-cache</c> or <c>no-store</c>), or <see langword="null"/>.</param>
/// <param name="Expires">The <c>Expires</c> header (<see cref="DateTimeOffset.MinValue"/> when it does not parse, as for <c>0</c>: already expired).</param>
/// <param name="Age">The <c>Age</c> header: how long caches on the way held the response.</param>
/// <param name="Date">The <c>Date</c> header: when the origin produced the response, by its clock.</param>
internal readonly record struct ResponseFreshness(TimeSpan? MaxAge, DateTimeOffset? Expires, TimeSpan Age, DateTimeOffset? Date)
{
    /// <summary>Gets a value indicating whether the headers say anything of freshness.</summary>
    public bool IsKnown => MaxAge is not null || Expires is not null;

    /// <summary>Reads the freshness of <paramref name="response"/>.</summary>
    public static ResponseFreshness Of(HttpResponseMessage response)
    {
        var headers = response.Headers;
        var content = response.Content.Headers;
        var maxAge = headers.CacheControl is { NoCache: true } or { NoStore: true } ? TimeSpan.Zero : headers.CacheControl?.MaxAge;
        var expires = content.Expires ?? (content.NonValidated.Contains("Expires") ? DateTimeOffset.MinValue : null);
        return new(maxAge, expires, headers.Age ?? TimeSpan.Zero, headers.Date);
    }

    /// <summary>
    /// When the response stops being fresh, received at <paramref name="received"/> (Unix milliseconds), or
    /// <see langword="null"/> when its headers say nothing of it.
    /// </summary>
    public long? FreshUntil(DateTimeOffset received)
    {
        var lifetime = MaxAge ?? (Expires is { } expires ? (expires == DateTimeOffset.MinValue ? TimeSpan.Zero : expires - (Date ?? received)) : null);
        if (lifetime is not { } freshFor)
        {
            return null;
        }

        // The age it had on arrival: what the caches on the way say, or the time since the origin dated it, whichever is more.
        var apparentAge = Date is { } date && received > date ? received - date : TimeSpan.Zero;
        var left = freshFor - (apparentAge > Age ? apparentAge : Age);
        return (received + (left > TimeSpan.Zero ? left : TimeSpan.Zero)).ToUnixTimeMilliseconds();
    }
}
