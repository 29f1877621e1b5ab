using System.Net;

namespace OfflineMedia.Internal;

/// <summary>
/// The check every redirect hop passes, for the media API and media files alike: their handlers follow no redirect
/// themselves, so a <c>Location</c> of <c>file:</c>, <c>data:</c> or <c>ftp:</c> is refused with a reason here
/// instead of being fetched or thrown by the handler. Only http and https, never from https down to http, at most
/// <see cref="MaxHops"/> hops.
/// </summary>
internal static class HttpRedirect
{
    /// <summary>The most redirects one request follows.</summary>
    public const int MaxHops = 5;

    /// <summary>Where the answer to a request for <paramref name="url"/> redirects, or null when it is not a redirect to follow.</summary>
    public static Uri? LocationOf(HttpResponseMessage response, Uri url) =>
        response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect
        && response.Headers.Location is { } location
        && (location.IsAbsoluteUri || Uri.TryCreate(url, location, out location))
            ? location
            : null;

    /// <returns>Why the hop from <paramref name="from"/> to <paramref name="to"/> is refused, or null when it may be followed.</returns>
    public static string? Refusal(Uri from, Uri to) =>
        !MediaUrl.IsHttp(to) ? $"a redirect led to a {to.Scheme} URL; only http and https are fetched"
        : from.Scheme == Uri.UriSchemeHttps && to.Scheme == Uri.UriSchemeHttp ? "a redirect from https down to http was refused"
        : null;
}
