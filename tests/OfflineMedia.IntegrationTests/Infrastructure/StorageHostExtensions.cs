using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OfflineMedia.Storage;

namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>What a settings page and a workout list use of a <see cref="SyncHost"/>.</summary>
internal static class StorageHostExtensions
{
    public static IOfflineMediaManager Manager(this SyncHost host) => host.Services.GetRequiredService<IOfflineMediaManager>();

    public static OfflineMediaOptions CurrentOptions(this SyncHost host) =>
        host.Services.GetRequiredService<IOptionsMonitor<OfflineMediaOptions>>().CurrentValue;

    /// <summary>The saved settings file in a cache folder.</summary>
    public static string SettingsFile(string cacheDirectory) => Path.Combine(cacheDirectory, "settings.json");

    /// <summary>The settings an app gets with the SDK's defaults (what <see cref="SyncHost"/> leaves alone).</summary>
    public static OfflineMediaSettings DefaultSettings()
    {
        var defaults = new OfflineMediaOptions();
        return new OfflineMediaSettings
        {
            CacheSizeLimitBytes = defaults.CacheSizeLimitBytes,
            Strategy = defaults.Strategy,
            PreferredVideoQuality = defaults.PreferredVideoQuality,
            DownloadVideos = defaults.DownloadVideos,
            ShowDataUsageWarnings = defaults.ShowDataUsageWarnings,
        };
    }
}
