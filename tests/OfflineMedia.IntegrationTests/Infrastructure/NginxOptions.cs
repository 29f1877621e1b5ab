namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>
/// What an <see cref="NginxServer"/> adds to its generated configuration: directives for the <c>http</c> block (a
/// <c>map</c>, <c>gzip</c>), for its <c>server</c> block (<c>location</c>s, <c>limit_rate</c>, <c>return 302</c>), and TLS
/// with HTTP/2.
/// </summary>
public sealed record NginxOptions
{
    /// <summary>Gets directives added inside <c>http { }</c>, before the server.</summary>
    public string Http { get; init; } = string.Empty;

    /// <summary>Gets directives added inside <c>server { }</c>, before its default locations.</summary>
    public string Server { get; init; } = string.Empty;

    /// <summary>
    /// Gets whether the catalog routes (<c>/api/...</c>) are served from <c>{route}.json</c> files as
    /// <c>application/json</c>; on by default. Off for a server that only serves media (a CDN).
    /// </summary>
    public bool ServeApi { get; init; } = true;

    /// <summary>Gets the certificate to serve HTTPS with, over HTTP/2 (and HTTP/1.1 for clients that ask for it); null serves plain HTTP.</summary>
    public TestCertificate? Tls { get; init; }
}
