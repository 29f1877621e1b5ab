namespace OfflineMedia.Internal;

/// <summary>URLs as they may appear in logs, messages and spans: no query, fragment or user info, since signed URLs carry tokens there.</summary>
internal static class SafeUrl
{
    public static string Redact(Uri? url) =>
        url is null ? "(none)"
        : url.IsAbsoluteUri ? url.GetLeftPart(UriPartial.Path).Replace(url.UserInfo + "@", string.Empty, StringComparison.Ordinal)
        : Redact(url.OriginalString);

    public static string Redact(string url)
    {
        var end = url.AsSpan().IndexOfAny('?', '#');
        return end < 0 ? url : url[..end];
    }
}
