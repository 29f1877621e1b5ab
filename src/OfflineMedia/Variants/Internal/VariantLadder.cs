namespace OfflineMedia.Variants.Internal;

/// <summary>The two ladders of variant names, smallest first, and their typical sizes.</summary>
internal static class VariantLadder
{
    public static readonly string[] ImageNames =
    [
        MediaVariantNames.Thumbnail,
        MediaVariantNames.Small,
        MediaVariantNames.Medium,
        MediaVariantNames.Large,
        MediaVariantNames.Original,
    ];

    public static readonly string[] VideoNames =
    [
        MediaVariantNames.Video720p,
        MediaVariantNames.Video1080p,
        MediaVariantNames.Original,
    ];

    public const int Small = 1;
    public const int Medium = 2;
    public const int Large = 3;
    public const int Video720p = 0;
    public const int Video1080p = 1;

    private const long KB = 1024;
    private const long MB = 1024 * KB;

    // Typical sizes of each variant, used to estimate when the server gives none.
    private static readonly long[] s_imageBytes = [50 * KB, 200 * KB, 500 * KB, 1536 * KB, 5 * MB];
    private static readonly long[] s_videoBytes = [10 * MB, 25 * MB, 80 * MB];

    public const long PosterBytes = 200 * KB;

    public static int ImageRank(string name) => name switch
    {
        MediaVariantNames.Thumbnail => 0,
        MediaVariantNames.Small => 1,
        MediaVariantNames.Medium => 2,
        MediaVariantNames.Large => 3,
        MediaVariantNames.Original => 4,
        _ => -1,
    };

    public static int VideoRank(string name) => name switch
    {
        MediaVariantNames.Video720p => 0,
        MediaVariantNames.Video1080p => 1,
        MediaVariantNames.Original => 2,
        _ => -1,
    };

    public static long TypicalImageBytes(int rank) => s_imageBytes[rank];

    public static long TypicalVideoBytes(int rank) => s_videoBytes[rank];
}
