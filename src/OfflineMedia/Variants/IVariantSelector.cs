using OfflineMedia.Profiles;

namespace OfflineMedia.Variants;

/// <summary>Chooses which variants of an exercise's media a device downloads, or streams.</summary>
public interface IVariantSelector
{
    /// <summary>Chooses the image, video and poster variants to download for a device.</summary>
    /// <param name="media">The variants the media API offers.</param>
    /// <param name="profile">The device.</param>
    /// <param name="preferences">The user's settings.</param>
    /// <returns>The choices; a missing image or video is a <see cref="VariantChoiceStatus.NotAvailable"/> choice, not an exception.</returns>
    MediaSelection SelectForDownload(ExerciseMediaInfo media, DeviceProfile profile, VariantPreferences preferences);

    /// <summary>Chooses the variant to stream on a desktop or the web: the highest quality offered.</summary>
    /// <param name="media">The variants the media API offers.</param>
    /// <param name="kind">Image or video.</param>
    /// <returns>The choice; <see cref="VariantChoiceStatus.NotAvailable"/> when the API offers none.</returns>
    VariantChoice SelectForStreaming(ExerciseMediaInfo media, MediaKind kind);
}
