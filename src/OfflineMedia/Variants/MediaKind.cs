namespace OfflineMedia.Variants;

/// <summary>The kind of a media file. A video's poster is an <see cref="Image"/>.</summary>
public enum MediaKind
{
    /// <summary>A still image (an exercise photo or a video poster).</summary>
    Image,

    /// <summary>A video.</summary>
    Video,
}
