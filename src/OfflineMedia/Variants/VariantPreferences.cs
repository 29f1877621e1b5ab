namespace OfflineMedia.Variants;

/// <summary>The user's settings that take part in choosing variants.</summary>
public sealed record VariantPreferences
{
    /// <summary>Gets the defaults: videos downloaded, quality chosen automatically.</summary>
    public static VariantPreferences Default { get; } = new();

    /// <summary>Gets a value indicating whether videos are downloaded.</summary>
    /// <value>The default is <see langword="true"/>. The poster is taken either way.</value>
    public bool DownloadVideos { get; init; } = true;

    /// <summary>Gets the preferred video quality.</summary>
    /// <value>The default is <see cref="VideoQuality.Auto"/>.</value>
    public VideoQuality VideoQuality { get; init; } = VideoQuality.Auto;
}
