namespace OfflineMedia.Internal;

/// <summary>Resolves media URLs as the server contract gives them: absolute, or relative to the API base; only http and https.</summary>
internal static class MediaUrl
{
    /// <returns>The absolute URL, or <see langword="null"/> with <paramref name="error"/> saying why it cannot be fetched.</returns>
    public static Uri? Resolve(string url, Uri? apiBase, out string? error)
    {
        // "/media/x.jpg" parses as an absolute file URI on Unix; a single leading slash is a relative path here.
        var relative = url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal);
        Uri? resolved = null;
        if (!relative && Uri.TryCreate(url, UriKind.Absolute, out var absolute))
        {
            resolved = absolute;
        }
        else if (apiBase is null)
        {
            error = $"the URL '{SafeUrl.Redact(url)}' is relative and no ApiBaseAddress is set to resolve it against";
            return null;
        }
        else if (Uri.TryCreate(apiBase, url, out var combined))
        {
            resolved = combined;
        }

        if (resolved is null || !IsHttp(resolved))
        {
            error = $"the URL '{SafeUrl.Redact(url)}' is not an http or https URL; only those are fetched";
            return null;
        }

        error = null;
        return resolved;
    }

    /// <summary>Whether <paramref name="url"/> is one the SDK fetches: absolute http or https.</summary>
    public static bool IsHttp(Uri url) => url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);
}
