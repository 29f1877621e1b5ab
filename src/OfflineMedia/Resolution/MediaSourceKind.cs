namespace OfflineMedia.Resolution;

/// <summary>Where a resolved media file comes from.</summary>
public enum MediaSourceKind
{
    /// <summary>A complete, verified file in the cache: show it, online or not.</summary>
    Local,

    /// <summary>The remote URL, to stream: the network is up and no cached copy fits (or the device streams by design).</summary>
    Remote,

    /// <summary>Neither: show the placeholder or "Video not available offline"; <see cref="ResolvedMedia.Reason"/> says why.</summary>
    Unavailable,
}
