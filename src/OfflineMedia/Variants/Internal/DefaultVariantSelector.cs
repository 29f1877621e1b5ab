using OfflineMedia.Profiles;

namespace OfflineMedia.Variants.Internal;

/// <summary>
/// The selection rules (docs/configuration.md, "Selection rules"). Pure and allocation-free: it reads the ladders of
/// <see cref="ExerciseMediaInfo"/> and returns structs that point at existing variants.
/// </summary>
internal sealed class DefaultVariantSelector : IVariantSelector
{
    /// <summary>A phone with less free storage than this takes <c>small</c> images.</summary>
    internal const long SmallImageStorageThreshold = 2L * 1024 * 1024 * 1024;

    /// <summary>A device with less free storage than this takes 720p videos on <see cref="VideoQuality.Auto"/>.</summary>
    internal const long HighVideoStorageThreshold = 5L * 1024 * 1024 * 1024;

    public MediaSelection SelectForDownload(ExerciseMediaInfo media, DeviceProfile profile, VariantPreferences preferences)
    {
        ArgumentNullException.ThrowIfNull(media);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(preferences);

        var image = Nearest(media.ImageLadder, ImageRank(profile), VariantLadder.ImageNames, MediaKind.Image);
        var video = preferences.DownloadVideos
            ? Nearest(media.VideoLadder, VideoRank(profile, preferences.VideoQuality), VariantLadder.VideoNames, MediaKind.Video)
            : default;
        var poster = media.Poster is { } p
            ? new VariantChoice(VariantChoiceStatus.Exact, MediaVariantNames.Poster, p, p.Bytes ?? VariantLadder.PosterBytes)
            : new VariantChoice(VariantChoiceStatus.NotAvailable, MediaVariantNames.Poster, null, 0);

        return new MediaSelection(image, video, poster);
    }

    public VariantChoice SelectForStreaming(ExerciseMediaInfo media, MediaKind kind)
    {
        ArgumentNullException.ThrowIfNull(media);

        // The highest quality offered: the nearest to the top of the ladder.
        return kind == MediaKind.Image
            ? Nearest(media.ImageLadder, VariantLadder.ImageNames.Length - 1, VariantLadder.ImageNames, kind)
            : Nearest(media.VideoLadder, VariantLadder.VideoNames.Length - 1, VariantLadder.VideoNames, kind);
    }

    private static int ImageRank(DeviceProfile profile) => profile.Class switch
    {
        DeviceClass.Phone => profile.AvailableStorageBytes < SmallImageStorageThreshold ? VariantLadder.Small : VariantLadder.Medium,
        DeviceClass.Tablet => VariantLadder.Medium,
        _ => VariantLadder.Large,
    };

    private static int VideoRank(DeviceProfile profile, VideoQuality quality) => quality switch
    {
        VideoQuality.Low => VariantLadder.Video720p,
        VideoQuality.High => VariantLadder.Video1080p,
        _ => profile.Class == DeviceClass.Phone || profile.AvailableStorageBytes < HighVideoStorageThreshold
            ? VariantLadder.Video720p
            : VariantLadder.Video1080p,
    };

    /// <summary>The wanted rung if offered, else the nearest offered one; at equal distance the smaller.</summary>
    private static VariantChoice Nearest(ReadOnlySpan<MediaVariant?> ladder, int wanted, string[] names, MediaKind kind)
    {
        var requested = names[wanted];
        if (ladder[wanted] is { } exact)
        {
            return new VariantChoice(VariantChoiceStatus.Exact, requested, exact, Estimate(exact, wanted, kind));
        }

        for (var distance = 1; distance < ladder.Length; distance++)
        {
            // Smaller first, so ties go to the variant that costs less storage.
            var below = wanted - distance;
            if (below >= 0 && ladder[below] is { } smaller)
            {
                return new VariantChoice(VariantChoiceStatus.Nearest, requested, smaller, Estimate(smaller, below, kind));
            }

            var above = wanted + distance;
            if (above < ladder.Length && ladder[above] is { } larger)
            {
                return new VariantChoice(VariantChoiceStatus.Nearest, requested, larger, Estimate(larger, above, kind));
            }
        }

        return new VariantChoice(VariantChoiceStatus.NotAvailable, requested, null, 0);
    }

    private static long Estimate(MediaVariant variant, int rank, MediaKind kind) =>
        variant.Bytes ?? (kind == MediaKind.Image ? VariantLadder.TypicalImageBytes(rank) : VariantLadder.TypicalVideoBytes(rank));
}
