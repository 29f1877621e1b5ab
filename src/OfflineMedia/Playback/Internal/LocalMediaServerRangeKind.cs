namespace OfflineMedia.Playback.Internal;

/// <summary>What a request's <c>Range</c> header asks the local media server for.</summary>
internal enum LocalMediaServerRangeKind
{
    /// <summary>No range: the whole file (200).</summary>
    Whole,

    /// <summary>One byte range (206, or 416 when it lies past the end).</summary>
    One,

    /// <summary>Several ranges, another unit, or an inverted range: refused (416).</summary>
    Unsupported,

    /// <summary>Not a range header at all (400).</summary>
    Malformed,
}
