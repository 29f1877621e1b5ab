namespace OfflineMedia.Testing;

/// <summary>How a variant is written in the media JSON.</summary>
public enum FakeVariantForm
{
    /// <summary>The plain form: <c>"small": "/media/images/squat/small/small.jpg"</c>.</summary>
    PlainUrl,

    /// <summary>
    /// The richer form: <c>"small": {"url": "...", "bytes": 2048, "sha256": "&lt;lowercase hex&gt;"}</c>,
    /// with the size and hash of the content currently served.
    /// </summary>
    Rich,
}
