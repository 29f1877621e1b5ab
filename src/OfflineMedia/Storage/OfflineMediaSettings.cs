using OfflineMedia.Sync;
using OfflineMedia.Variants;

namespace OfflineMedia.Storage;

/// <summary>
/// The choices a user makes on the settings page. Those changed through <see cref="IOfflineMediaManager.UpdateSettingsAsync"/>
/// are saved in the cache folder and win over the app's configured defaults, across restarts; the others follow the app.
/// </summary>
public sealed record OfflineMediaSettings
{
    /// <summary>Gets the cache budget in bytes (1 MiB to 1 TiB).</summary>
    public required long CacheSizeLimitBytes { get; init; }

    /// <summary>Gets when media may be downloaded.</summary>
    public required SyncStrategy Strategy { get; init; }

    /// <summary>Gets the preferred video quality.</summary>
    public required VideoQuality PreferredVideoQuality { get; init; }

    /// <summary>Gets a value indicating whether videos are downloaded.</summary>
    public required bool DownloadVideos { get; init; }

    /// <summary>Gets a value indicating whether the app is asked before a large download over cellular.</summary>
    public required bool ShowDataUsageWarnings { get; init; }

    internal static OfflineMediaSettings From(OfflineMediaOptions options) => new()
    {
        CacheSizeLimitBytes = options.CacheSizeLimitBytes,
        Strategy = options.Strategy,
        PreferredVideoQuality = options.PreferredVideoQuality,
        DownloadVideos = options.DownloadVideos,
        ShowDataUsageWarnings = options.ShowDataUsageWarnings,
    };

    /// <summary>Lays these settings over options, to check them by the same rules as at start.</summary>
    internal void ApplyTo(OfflineMediaOptions options)
    {
        options.CacheSizeLimitBytes = CacheSizeLimitBytes;
        options.Strategy = Strategy;
        options.PreferredVideoQuality = PreferredVideoQuality;
        options.DownloadVideos = DownloadVideos;
        options.ShowDataUsageWarnings = ShowDataUsageWarnings;
    }
}
