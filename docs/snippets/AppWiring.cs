using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OfflineMedia.Profiles;
using OfflineMedia.Resolution;
using OfflineMedia.Storage;
using OfflineMedia.Sync;
using OfflineMedia.Variants;

namespace OfflineMedia.Snippets;

/// <summary>Snippets of README.md and docs/getting-started.md that wire the SDK into an app.</summary>
internal static class AppWiring
{
    public static void FromConfiguration(IServiceCollection services, IConfiguration configuration)
    {
        #region from-configuration
        // appsettings.json: { "OfflineMedia": { "ApiBaseAddress": "https://api.example.com/", "Strategy": "WiFiOnly" } }
        services.AddOfflineMedia(configuration.GetSection("OfflineMedia"));
        #endregion
    }

    public static void WithAdapters(IServiceCollection services, string appDataDirectory)
    {
        #region with-adapters
        services.AddOfflineMedia(options =>
        {
            options.ApiBaseAddress = new Uri("https://api.example.com/");
            options.CacheDirectory = Path.Combine(appDataDirectory, "media"); // App-private, dedicated to the cache.
        })
        // Platform adapters (see docs/adapters.md); desktop and console hosts can keep the defaults.
        .UseDisplayProbe<PhoneDisplayProbe>()
        .UseStorageProbe<PhoneStorageProbe>()
        .UseConnectivityProbe<PhoneConnectivityProbe>();
        #endregion
    }

    public static void TuneRetries(IServiceCollection services)
    {
        #region tune-retries
        services.AddOfflineMedia(o => o.MaxDownloadAttempts = 5)
                .ConfigureDownloadRetry(r =>
                {
                    r.MaxDelay = TimeSpan.FromSeconds(10); // the longest wait between two tries (default 30 s; 10 ms – 1 hour)
                    r.UseJitter = true;                    // each wait scaled by a random 50–100% (default)
                });
        #endregion
    }

    public static async Task SyncWithProgressAsync(IServiceProvider provider, Action<string> showStatus)
    {
        #region sync-with-progress
        var scheduler = provider.GetRequiredService<ISyncScheduler>();
        var report = await scheduler.SyncUpcomingAsync(new Progress<SyncProgress>(p =>
            showStatus($"{p.FilesDone}/{p.FilesTotal} files, {p.BytesDone * 100 / Math.Max(1, p.BytesTotal)}%")));
        // report.Outcome: Complete, Partial (see each item's Reason), Skipped (policy), Failed.
        #endregion
        _ = report;
    }

    public static async Task<string?> ResolveForPlayerAsync(IServiceProvider provider, string exerciseId)
    {
        #region resolve-for-player
        var resolver = provider.GetRequiredService<IMediaSourceResolver>();
        var video = await resolver.ResolveAsync(exerciseId, MediaKind.Video);
        var source = video.Source switch
        {
            MediaSourceKind.Local => video.LocalPath,             // Play the cached file.
            MediaSourceKind.Remote => video.RemoteUrl!.ToString(), // Online and not cached: stream it.
            _ => null,                                             // Show a placeholder and video.Reason.
        };
        #endregion
        return source;
    }

    public static async Task SettingsPageAsync(IOfflineMediaManager manager)
    {
        #region settings-page
        var status = await manager.GetStorageStatusAsync();
        Console.WriteLine($"{status.CacheBytes / 1_048_576} MB of {status.CacheLimitBytes / 1_048_576} MB used");

        // The user allows cellular and lowers the limit to 1 GB: saved, and in effect at once.
        await manager.UpdateSettingsAsync(manager.Settings with
        {
            Strategy = SyncStrategy.WiFiAndCellular,
            CacheSizeLimitBytes = 1L * 1024 * 1024 * 1024,
        });
        #endregion
    }

    // Stand-ins for the platform probes of docs/adapters.md, which need a phone's SDK to compile.
    private sealed class PhoneDisplayProbe : IDisplayProbe
    {
        public DisplayInfo? GetDisplay() => new(1080, 2340, 420);
    }

    private sealed class PhoneStorageProbe : IStorageProbe
    {
        public long GetAvailableBytes(string path) => new DriveInfo(path).AvailableFreeSpace;
    }

    private sealed class PhoneConnectivityProbe : IConnectivityProbe
    {
        public event EventHandler<ConnectivityState>? Changed { add { } remove { } }

        public ConnectivityState Current => new(Profiles.NetworkAccess.Internet, ConnectionKinds.WiFi);
    }
}
