namespace OfflineMedia.Variants;

/// <summary>The variants of one exercise's media that a device should download: its image, its video and the video's poster.</summary>
/// <param name="Image">The exercise image.</param>
/// <param name="Video">The exercise video; <see cref="VariantChoiceStatus.NotWanted"/> when videos are off.</param>
/// <param name="Poster">The video's poster, always taken when the API offers it.</param>
public readonly record struct MediaSelection(VariantChoice Image, VariantChoice Video, VariantChoice Poster)
{
    /// <summary>Gets the estimated bytes of the three choices together.</summary>
    public long EstimatedBytes => Image.EstimatedBytes + Video.EstimatedBytes + Poster.EstimatedBytes;
}
