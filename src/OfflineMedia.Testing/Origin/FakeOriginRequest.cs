namespace OfflineMedia.Testing;

/// <summary>
/// One request the fake origin received. Recorded when the request arrives; <see cref="StatusCode"/>,
/// <see cref="BodyBytesSent"/>, <see cref="WasAborted"/> and <see cref="IsCompleted"/> are updated as
/// the response goes out and ends.
/// </summary>
public sealed class FakeOriginRequest
{
    private int _statusCode;
    private long _bodyBytesSent;
    private volatile bool _wasAborted;
    private volatile bool _isCompleted;

    internal FakeOriginRequest(
        DateTimeOffset timestamp,
        string method,
        string path,
        string query,
        string? range,
        string? ifRange,
        string? ifNoneMatch,
        string? ifModifiedSince)
    {
        Timestamp = timestamp;
        Method = method;
        Path = path;
        Query = query;
        Range = range;
        IfRange = ifRange;
        IfNoneMatch = ifNoneMatch;
        IfModifiedSince = ifModifiedSince;
        NormalizedPath = Internal.OriginPaths.Normalize(path);
    }

    /// <summary>Gets when the request arrived, by the origin's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Gets the request method, such as <c>GET</c>.</summary>
    public string Method { get; }

    /// <summary>Gets the request path, as decoded by the server.</summary>
    public string Path { get; }

    /// <summary>Gets the query string including its leading <c>?</c>, or an empty string.</summary>
    public string Query { get; }

    /// <summary>Gets the path and query.</summary>
    public string PathAndQuery => Path + Query;

    /// <summary>Gets the <c>Range</c> request header, if sent.</summary>
    public string? Range { get; }

    /// <summary>Gets the <c>If-Range</c> request header, if sent.</summary>
    public string? IfRange { get; }

    /// <summary>Gets the <c>If-None-Match</c> request header, if sent.</summary>
    public string? IfNoneMatch { get; }

    /// <summary>Gets the <c>If-Modified-Since</c> request header, if sent.</summary>
    public string? IfModifiedSince { get; }

    /// <summary>Gets the response status code (0 until the origin has chosen one).</summary>
    public int StatusCode => Volatile.Read(ref _statusCode);

    /// <summary>Gets the number of response body bytes written so far.</summary>
    public long BodyBytesSent => Interlocked.Read(ref _bodyBytesSent);

    /// <summary>Gets a value indicating whether the connection was aborted (by a fault, the client or disposal) rather than the response completed.</summary>
    public bool WasAborted => _wasAborted;

    /// <summary>Gets a value indicating whether the origin has finished handling the request.</summary>
    public bool IsCompleted => _isCompleted;

    internal string NormalizedPath { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Method} {PathAndQuery} -> {StatusCode} ({BodyBytesSent} bytes{(WasAborted ? ", aborted" : string.Empty)})";

    internal void SetStatusCode(int statusCode) => Volatile.Write(ref _statusCode, statusCode);

    internal void AddBodyBytes(long count) => Interlocked.Add(ref _bodyBytesSent, count);

    internal void MarkAborted() => _wasAborted = true;

    internal void MarkCompleted() => _isCompleted = true;
}
