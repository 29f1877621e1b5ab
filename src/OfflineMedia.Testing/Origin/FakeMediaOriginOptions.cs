using Microsoft.Extensions.Logging;

namespace OfflineMedia.Testing;

/// <summary>Options of a <see cref="FakeMediaOrigin"/>.</summary>
public sealed class FakeMediaOriginOptions
{
    /// <summary>
    /// Gets or sets the clock of the origin: "now" for <c>/api/workouts/upcoming</c>, signed URL expiry and
    /// request timestamps. Delays (latency, stalls) always use real time.
    /// </summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets how media URLs are written in the media JSON, for variants without their own <see cref="FakeMediaVariant.UrlStyle"/>.</summary>
    /// <value>The default is <see cref="FakeMediaUrlStyle.Relative"/>.</value>
    public FakeMediaUrlStyle MediaUrlStyle { get; set; } = FakeMediaUrlStyle.Relative;

    /// <summary>Gets or sets how far after signing a signed "CDN" URL's <c>exp</c> lies.</summary>
    /// <value>The default is one hour.</value>
    public TimeSpan SignedUrlLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets a value indicating whether the <c>/cdn/</c> route answers 403 once <c>exp</c> is in the past (by <see cref="TimeProvider"/>).</summary>
    /// <value>The default is <see langword="false"/>: only the presence of <c>sig</c> and a numeric <c>exp</c> is checked.</value>
    public bool EnforceSignedUrlExpiry { get; set; }

    /// <summary>Gets or sets the logger factory of the underlying web server, to debug the origin itself.</summary>
    /// <value>The default is <see langword="null"/>: the origin logs nothing.</value>
    public ILoggerFactory? LoggerFactory { get; set; }
}
