namespace OfflineMedia.Variants;

/// <summary>The variant names of the media API, smallest first on each ladder.</summary>
public static class MediaVariantNames
{
    /// <summary>The 50 KB image thumbnail.</summary>
    public const string Thumbnail = "thumbnail";

    /// <summary>The 200 KB image for phones short of storage.</summary>
    public const string Small = "small";

    /// <summary>The 500 KB image for phones and tablets.</summary>
    public const string Medium = "medium";

    /// <summary>The 1.5 MB image for desktops.</summary>
    public const string Large = "large";

    /// <summary>The original upload (5 MB image, 80 MB video).</summary>
    public const string Original = "original";

    /// <summary>The 10 MB 720p video.</summary>
    public const string Video720p = "720p";

    /// <summary>The 25 MB 1080p video.</summary>
    public const string Video1080p = "1080p";

    /// <summary>The 200 KB still of a video, always downloaded with it.</summary>
    public const string Poster = "poster";
}
