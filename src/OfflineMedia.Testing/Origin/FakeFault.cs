namespace OfflineMedia.Testing;

/// <summary>
/// A fault the fake origin injects on the requests to one path (see <see cref="FakeFaultRegistry"/>).
/// Build one with a factory and adjust it with <c>with</c>, for example
/// <c>FakeFault.Status(503, TimeSpan.FromSeconds(2)) with { Times = 2 }</c>.
/// </summary>
/// <remarks>
/// A request that matches a fault is handled in this order: <see cref="Latency"/> first; then, if set, the
/// first of <see cref="StatusCode"/>, <see cref="ServeHtml"/>, <see cref="RedirectLocation"/> /
/// <see cref="RedirectToSignedCdn"/> replaces the normal answer; otherwise the normal answer (JSON, media,
/// 206, 304, 416, 404…) is sent with the body faults applied: <see cref="CorruptBody"/>,
/// <see cref="ExtraBodyBytes"/>, <see cref="StallAfterBytes"/>, <see cref="DropAfterBytes"/>,
/// <see cref="ContentLengthOverstatedBy"/>. Body byte counts are of this response's body (after a Range).
/// Delays use real time, never the origin's <see cref="TimeProvider"/>.
/// </remarks>
public sealed record FakeFault
{
    /// <summary>Gets the delay before the response headers are sent.</summary>
    /// <value>The default is <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan Latency { get; init; }

    /// <summary>Gets a status code (such as 500, 503 or 429) answered instead of the content, with a short <c>text/plain</c> body.</summary>
    /// <value>The default is <see langword="null"/>: no status fault.</value>
    public int? StatusCode { get; init; }

    /// <summary>Gets the <c>Retry-After</c> sent with <see cref="StatusCode"/>, in whole seconds (rounded up).</summary>
    /// <value>The default is <see langword="null"/>: no header.</value>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets a value indicating whether <see cref="RetryAfter"/> is sent as an HTTP date (origin time + delay) instead of seconds.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool RetryAfterAsHttpDate { get; init; }

    /// <summary>
    /// Gets how many matching requests the fault applies to; after that the path is healthy again (the
    /// fault stays registered, spent). For example a 503 with <c>Times = 2</c> fails twice, then serves.
    /// </summary>
    /// <value>The default is <see langword="null"/>: every matching request.</value>
    public int? Times { get; init; }

    /// <summary>
    /// Gets a value indicating whether a <c>200 text/html</c> page (a Wi-Fi sign-in page, as a captive portal
    /// sends) is answered instead of the content.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool ServeHtml { get; init; }

    /// <summary>Gets a location (relative to the origin, or absolute) to redirect to with <see cref="RedirectStatusCode"/>.</summary>
    /// <value>The default is <see langword="null"/>: no redirect.</value>
    public Uri? RedirectLocation { get; init; }

    /// <summary>
    /// Gets a value indicating whether to redirect a <c>/media/...</c> path to the same file on the signed
    /// "CDN" route: <c>http://127.0.0.1:{port}/cdn/...?sig=…&amp;exp=…</c> (other paths get <c>/cdn</c>
    /// prefixed). Ignored when <see cref="RedirectLocation"/> is set.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool RedirectToSignedCdn { get; init; }

    /// <summary>Gets the status code of a redirect.</summary>
    /// <value>The default is 302.</value>
    public int RedirectStatusCode { get; init; } = 302;

    /// <summary>
    /// Gets the number of body bytes after which the connection is dropped: the response declares its full
    /// <c>Content-Length</c> (and <c>Connection: close</c>), sends this many bytes, flushes, waits briefly so
    /// they reach the socket, then aborts the connection. The client sees a short body and an
    /// <see cref="IOException"/> (<c>HttpIOException</c>) when reading on.
    /// </summary>
    /// <value>The default is <see langword="null"/>: no drop.</value>
    public long? DropAfterBytes { get; init; }

    /// <summary>
    /// Gets the number of body bytes after which the response stalls: the bytes are sent and flushed, then
    /// nothing more for <see cref="StallDuration"/>, after which the rest of the body follows. A stall ends
    /// early when the client aborts or the origin is disposed (the connection is then aborted).
    /// </summary>
    /// <value>The default is <see langword="null"/>: no stall.</value>
    public long? StallAfterBytes { get; init; }

    /// <summary>
    /// Gets the pace of the body, in bytes per second: small chunks, each sent no sooner than its share of the
    /// pace allows, as a slow network delivers them. Little is ever in flight, so a client killed mid-body has
    /// been sent little more than it received (a body sent at full speed sits in socket buffers by the megabyte).
    /// </summary>
    /// <value>The default is <see langword="null"/>: as fast as the client reads.</value>
    public long? BytesPerSecond { get; init; }

    /// <summary>Gets how long a stall lasts.</summary>
    /// <value>The default is <see langword="null"/>: until the request is aborted or the origin disposed.</value>
    public TimeSpan? StallDuration { get; init; }

    /// <summary>
    /// Gets how many bytes more than the body the <c>Content-Length</c> header declares. The whole real body
    /// is sent, then the connection is aborted: a truncated response that the client sees as a premature
    /// end (<see cref="IOException"/>) after receiving every real byte.
    /// </summary>
    /// <value>The default is 0.</value>
    public long ContentLengthOverstatedBy { get; init; }

    /// <summary>
    /// Gets how many extra bytes (zeros) follow the real body. Kestrel refuses to send more than a declared
    /// <c>Content-Length</c>, so the response then has no <c>Content-Length</c> and uses chunked transfer:
    /// the client receives a well-formed response longer (and with another SHA-256) than the catalog says.
    /// </summary>
    /// <value>The default is 0.</value>
    public long ExtraBodyBytes { get; init; }

    /// <summary>
    /// Gets a value indicating whether one byte in the middle of the body is flipped: right length, wrong
    /// SHA-256 (for hash verification tests).
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool CorruptBody { get; init; }

    /// <summary>Creates a fault answering <paramref name="statusCode"/> instead of the content.</summary>
    /// <param name="statusCode">The status code, such as 500, 503 or 429.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> delay to send, if any.</param>
    /// <param name="times">How many requests fail before the path is healthy; <see langword="null"/> for all.</param>
    /// <returns>The fault.</returns>
    public static FakeFault Status(int statusCode, TimeSpan? retryAfter = null, int? times = null)
        => new() { StatusCode = statusCode, RetryAfter = retryAfter, Times = times };

    /// <summary>Creates a fault delaying the response headers.</summary>
    /// <param name="latency">The delay.</param>
    /// <returns>The fault.</returns>
    public static FakeFault Delay(TimeSpan latency) => new() { Latency = latency };

    /// <summary>Creates a fault dropping the connection after <paramref name="bytes"/> body bytes (see <see cref="DropAfterBytes"/>).</summary>
    /// <param name="bytes">The body bytes sent before the drop.</param>
    /// <returns>The fault.</returns>
    public static FakeFault DropAfter(long bytes) => new() { DropAfterBytes = bytes };

    /// <summary>Creates a fault stalling the body after <paramref name="bytes"/> bytes (see <see cref="StallAfterBytes"/>).</summary>
    /// <param name="bytes">The body bytes sent before the stall.</param>
    /// <param name="duration">How long the stall lasts; <see langword="null"/> until the request is aborted.</param>
    /// <returns>The fault.</returns>
    public static FakeFault StallAfter(long bytes, TimeSpan? duration = null) => new() { StallAfterBytes = bytes, StallDuration = duration };

    /// <summary>Creates a fault sending the body at <paramref name="bytesPerSecond"/> (see <see cref="BytesPerSecond"/>).</summary>
    /// <param name="bytesPerSecond">The pace of the body.</param>
    /// <returns>The fault.</returns>
    public static FakeFault Throttle(long bytesPerSecond) => new() { BytesPerSecond = bytesPerSecond };

    /// <summary>Creates a fault answering a <c>200 text/html</c> page instead of the content.</summary>
    /// <returns>The fault.</returns>
    public static FakeFault HtmlPage() => new() { ServeHtml = true };

    /// <summary>Creates a fault redirecting (302) to <paramref name="location"/>.</summary>
    /// <param name="location">The location, relative to the origin or absolute.</param>
    /// <returns>The fault.</returns>
    public static FakeFault Redirect(Uri location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return new() { RedirectLocation = location };
    }

    /// <summary>Creates a fault redirecting (302) a media path to its signed "CDN" URL (see <see cref="RedirectToSignedCdn"/>).</summary>
    /// <returns>The fault.</returns>
    public static FakeFault RedirectToCdn() => new() { RedirectToSignedCdn = true };

    /// <summary>Creates a fault declaring a <c>Content-Length</c> <paramref name="bytes"/> longer than the body (see <see cref="ContentLengthOverstatedBy"/>).</summary>
    /// <param name="bytes">The bytes declared but never sent.</param>
    /// <returns>The fault.</returns>
    public static FakeFault OverstateContentLength(long bytes) => new() { ContentLengthOverstatedBy = bytes };

    /// <summary>Creates a fault appending <paramref name="bytes"/> bytes to the body (see <see cref="ExtraBodyBytes"/>).</summary>
    /// <param name="bytes">The extra bytes.</param>
    /// <returns>The fault.</returns>
    public static FakeFault AppendExtraBytes(long bytes) => new() { ExtraBodyBytes = bytes };

    /// <summary>Creates a fault flipping one byte of the body (see <see cref="CorruptBody"/>).</summary>
    /// <returns>The fault.</returns>
    public static FakeFault Corrupt() => new() { CorruptBody = true };

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Latency, TimeSpan.Zero, nameof(Latency));
        if (StatusCode is { } status)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(status, 100, nameof(StatusCode));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 599, nameof(StatusCode));
        }

        if (RetryAfter is { } retryAfter)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero, nameof(RetryAfter));
        }

        if (Times is { } times)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(times, nameof(Times));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(RedirectStatusCode, 300, nameof(RedirectStatusCode));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(RedirectStatusCode, 399, nameof(RedirectStatusCode));
        if (DropAfterBytes is { } drop)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(drop, nameof(DropAfterBytes));
        }

        if (StallAfterBytes is { } stall)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(stall, nameof(StallAfterBytes));
        }

        if (BytesPerSecond is { } pace)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pace, nameof(BytesPerSecond));
        }

        if (StallDuration is { } stallDuration)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(stallDuration, TimeSpan.Zero, nameof(StallDuration));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(ContentLengthOverstatedBy, nameof(ContentLengthOverstatedBy));
        ArgumentOutOfRangeException.ThrowIfNegative(ExtraBodyBytes, nameof(ExtraBodyBytes));
    }
}
