namespace OfflineMedia.Variants;

/// <summary>The user's preferred video quality.</summary>
public enum VideoQuality
{
    /// <summary>Chosen by device and free storage: 720p on phones or under 5 GB free, else 1080p.</summary>
    Auto,

    /// <summary>Always 720p.</summary>
    Low,

    /// <summary>Always 1080p.</summary>
    High,
}
