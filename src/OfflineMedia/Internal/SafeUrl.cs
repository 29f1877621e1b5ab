namespace OfflineMedia.Internal;

/// <summary>
/// URLs as they may appear in logs, messages, spans and the index: no query, fragment or user info, since signed URLs
/// carry tokens in the query and a URL may carry a password before its host; control characters escaped.
/// </summary>
internal static class SafeUrl
{
    /// <summary>Schemes whose URLs have a host after the colon whatever the slashes (<c>http:u:p@host</c> is read as <c>http://u:p@host</c>).</summary>
    private static readonly string[] s_specialSchemes = ["http", "https", "ws", "wss", "ftp", "file"];

    public static string Redact(Uri? url) =>
        url is null ? "(none)"
        : url.IsAbsoluteUri && !url.IsFile ? SafeText.Escape(url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped))
        : Redact(url.OriginalString); // Relative, or a file path (on Unix "/a?b" parses as one): read as text.

    /// <summary>Redacts a URL as text, whether or not it parses: <c>http://user:PASS@[::1/x?sig=1</c> gives <c>http://[::1/x</c>.</summary>
    public static string Redact(string url)
    {
        var text = url.AsSpan();
        var end = text.IndexOfAny('?', '#');
        if (end >= 0)
        {
            text = text[..end];
        }

        // The user info ends at the last '@' of the authority, which ends at the first slash: a password may hold an '@' too.
        if (AuthorityStart(text) is var start and >= 0)
        {
            var authority = text[start..];
            var slash = authority.IndexOfAny('/', '\\');
            var at = (slash < 0 ? authority : authority[..slash]).LastIndexOf('@');
            if (at >= 0)
            {
                return SafeText.Escape(string.Concat(text[..start], authority[(at + 1)..]));
            }
        }

        return SafeText.Escape(end < 0 ? url : text.ToString());
    }

    /// <summary>Where the authority (user info and host) starts: after <c>scheme://</c> (or backslashes, which parsers read alike),
    /// after <c>http:</c> with any slashes, or after a leading <c>//</c>; -1 when the URL has none.</summary>
    private static int AuthorityStart(ReadOnlySpan<char> url)
    {
        var lead = 0;
        while (lead < url.Length && url[lead] <= ' ')
        {
            lead++; // Parsers skip leading spaces and controls.
        }

        var colon = url.IndexOf(':');
        var special = false;
        var start = lead;
        if (colon > lead && IsScheme(url[lead..colon]))
        {
            var scheme = url[lead..colon];
            foreach (var name in s_specialSchemes)
            {
                special |= scheme.Equals(name, StringComparison.OrdinalIgnoreCase);
            }

            start = colon + 1;
        }

        var slashes = 0;
        while (start + slashes < url.Length && url[start + slashes] is '/' or '\\')
        {
            slashes++;
        }

        return special || slashes >= 2 ? start + slashes : -1;
    }

    private static bool IsScheme(ReadOnlySpan<char> scheme)
    {
        if (!char.IsAsciiLetter(scheme[0]))
        {
            return false;
        }

        foreach (var c in scheme)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
