namespace OfflineMedia.Testing;

/// <summary>How media URLs are written in the media JSON.</summary>
public enum FakeMediaUrlStyle
{
    /// <summary>Relative to the origin, for example <c>/media/images/squat/small/small.jpg</c>.</summary>
    Relative,

    /// <summary>Absolute on the origin, for example <c>http://127.0.0.1:5123/media/images/squat/small/small.jpg</c>.</summary>
    Absolute,

    /// <summary>
    /// An absolute, signed-looking "CDN" URL on the same origin, for example
    /// <c>http://127.0.0.1:5123/cdn/images/squat/small/small.jpg?sig=…&amp;exp=…</c>. A fresh signature is
    /// made for every media JSON response, so the URL of unchanged content changes between calls (as signed
    /// CDN URLs do). The <c>/cdn/</c> route answers 403 when <c>sig</c> or <c>exp</c> is missing.
    /// </summary>
    SignedCdn,
}
