namespace OfflineMedia.Testing;

/// <summary>
/// The typical size of each variant of the server contract (1 KB = 1024 bytes, 1 MB = 1024 KB), and helpers to scale them
/// down so tests move little data.
/// </summary>
public static class FakeMediaSizes
{
    /// <summary>The default scale divisor of the catalog helpers: sizes are 1/100 of the typical ones.</summary>
    public const int DefaultScale = 100;

    /// <summary>Typical size of the <c>thumbnail</c> image: 50 KB.</summary>
    public const long Thumbnail = 50L * 1024;

    /// <summary>Typical size of the <c>small</c> image: 200 KB.</summary>
    public const long Small = 200L * 1024;

    /// <summary>Typical size of the <c>medium</c> image: 500 KB.</summary>
    public const long Medium = 500L * 1024;

    /// <summary>Typical size of the <c>large</c> image: 1.5 MB.</summary>
    public const long Large = 1536L * 1024;

    /// <summary>Typical size of the <c>original</c> image: 5 MB.</summary>
    public const long OriginalImage = 5L * 1024 * 1024;

    /// <summary>Typical size of the <c>720p</c> video: 10 MB.</summary>
    public const long Video720 = 10L * 1024 * 1024;

    /// <summary>Typical size of the <c>1080p</c> video: 25 MB.</summary>
    public const long Video1080 = 25L * 1024 * 1024;

    /// <summary>Typical size of the <c>original</c> video: 80 MB.</summary>
    public const long OriginalVideo = 80L * 1024 * 1024;

    /// <summary>Typical size of the video <c>poster</c> image: 200 KB.</summary>
    public const long Poster = 200L * 1024;

    /// <summary>Gets the image variant names of the server contract, smallest first.</summary>
    public static IReadOnlyList<string> ImageVariants { get; } = ["thumbnail", "small", "medium", "large", "original"];

    /// <summary>Gets the video variant names of the server contract (<c>poster</c> last).</summary>
    public static IReadOnlyList<string> VideoVariants { get; } = ["720p", "1080p", "original", "poster"];

    /// <summary>Gets the typical size of a variant of the contract divided by <paramref name="scale"/> (at least 1 byte).</summary>
    /// <param name="kind">The media kind.</param>
    /// <param name="variant">A variant name of the contract, such as <c>medium</c> or <c>720p</c>.</param>
    /// <param name="scale">The divisor; 1 gives the typical sizes.</param>
    /// <returns>The size in bytes.</returns>
    /// <exception cref="ArgumentException"><paramref name="variant"/> is not a variant of <paramref name="kind"/> in the contract.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is less than 1.</exception>
    public static long Typical(FakeMediaKind kind, string variant, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        long bytes = (kind, variant) switch
        {
            (FakeMediaKind.Image, "thumbnail") => Thumbnail,
            (FakeMediaKind.Image, "small") => Small,
            (FakeMediaKind.Image, "medium") => Medium,
            (FakeMediaKind.Image, "large") => Large,
            (FakeMediaKind.Image, "original") => OriginalImage,
            (FakeMediaKind.Video, "720p") => Video720,
            (FakeMediaKind.Video, "1080p") => Video1080,
            (FakeMediaKind.Video, "original") => OriginalVideo,
            (FakeMediaKind.Video, "poster") => Poster,
            _ => throw new ArgumentException($"'{variant}' is not a {kind} variant of the server contract.", nameof(variant)),
        };
        return Math.Max(1, bytes / scale);
    }
}
