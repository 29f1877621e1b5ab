namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>
/// One line of an <see cref="NginxServer"/>'s access log: a request as nginx saw and answered it. nginx writes the line
/// when it is done with the request, so a request cut short shows what was sent before the cut.
/// </summary>
/// <param name="Protocol">The protocol of the request: <c>HTTP/1.1</c> or <c>HTTP/2.0</c>.</param>
/// <param name="Method">The method.</param>
/// <param name="Target">The path and query, as sent.</param>
/// <param name="Status">The status nginx answered with.</param>
/// <param name="BodyBytesSent">The body bytes sent, headers not counted (compressed bytes when gzipped).</param>
/// <param name="Range">The request's <c>Range</c> header.</param>
/// <param name="IfRange">The request's <c>If-Range</c> header.</param>
/// <param name="IfNoneMatch">The request's <c>If-None-Match</c> header.</param>
/// <param name="IfModifiedSince">The request's <c>If-Modified-Since</c> header.</param>
/// <param name="AcceptEncoding">The request's <c>Accept-Encoding</c> header.</param>
/// <param name="ContentEncoding">The answer's <c>Content-Encoding</c> header.</param>
/// <param name="ETag">The answer's <c>ETag</c> header.</param>
/// <param name="Completed">Whether nginx sent the whole answer (<c>$request_completion</c>).</param>
/// <param name="Seconds">How long nginx took over the request, to the millisecond.</param>
public sealed record NginxRequest(
    string Protocol,
    string Method,
    string Target,
    int Status,
    long BodyBytesSent,
    string? Range,
    string? IfRange,
    string? IfNoneMatch,
    string? IfModifiedSince,
    string? AcceptEncoding,
    string? ContentEncoding,
    string? ETag,
    bool Completed,
    double Seconds)
{
    /// <summary>The nginx <c>log_format</c> this record is parsed from: tab-separated, JSON-escaped.</summary>
    internal const string LogFormat =
        "'$server_protocol\\t$request_method\\t$request_uri\\t$status\\t$body_bytes_sent\\t$http_range\\t$http_if_range\\t" +
        "$http_if_none_match\\t$http_if_modified_since\\t$http_accept_encoding\\t$sent_http_content_encoding\\t$sent_http_etag\\t" +
        "$request_completion\\t$request_time'";

    /// <summary>Gets the path, without the query.</summary>
    public string Path => Target.Split('?')[0];

    /// <summary>Gets whether this is a request for a media file (under <c>/media/</c>).</summary>
    public bool IsMedia => Target.StartsWith("/media/", StringComparison.Ordinal);

    internal static NginxRequest Parse(string line)
    {
        var f = line.Split('\t');
        if (f.Length != 14)
        {
            throw new FormatException($"An nginx access log line of {f.Length} fields, not 14: {line}");
        }

        return new NginxRequest(
            f[0], f[1], Unescape(f[2])!, int.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture),
            long.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture),
            Unescape(f[5]), Unescape(f[6]), Unescape(f[7]), Unescape(f[8]), Unescape(f[9]), Unescape(f[10]), Unescape(f[11]),
            f[12] == "OK", double.Parse(f[13], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Undoes <c>escape=json</c> for what headers hold (quotes and backslashes); an empty field is null.</summary>
    private static string? Unescape(string field) =>
        field.Length == 0 ? null : field.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
}
