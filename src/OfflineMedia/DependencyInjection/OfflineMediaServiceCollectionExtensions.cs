using System.IO.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using System.Net;
using OfflineMedia;
using OfflineMedia.Cache;
using OfflineMedia.Playback;
using OfflineMedia.Playback.Internal;
using OfflineMedia.Cache.Internal;
using OfflineMedia.Catalog;
using OfflineMedia.Catalog.Internal;
using OfflineMedia.Internal;
using OfflineMedia.Internal.Sqlite;
using OfflineMedia.Diagnostics;
using OfflineMedia.Profiles;
using OfflineMedia.Resolution;
using OfflineMedia.Resolution.Internal;
using OfflineMedia.Storage;
using OfflineMedia.Storage.Internal;
using OfflineMedia.Profiles.Internal;
using OfflineMedia.Sync;
using OfflineMedia.Sync.Internal;
using OfflineMedia.Variants;
using OfflineMedia.Variants.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the offline media SDK in a service collection.</summary>
public static class OfflineMediaServiceCollectionExtensions
{
    /// <summary>Adds the offline media SDK with settings from code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options; they are validated when the host starts.</param>
    /// <returns>A builder to plug in platform adapters.</returns>
    public static OfflineMediaBuilder AddOfflineMedia(this IServiceCollection services, Action<OfflineMediaOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.Configure(configure);
        return AddCore(services);
    }

    /// <summary>Adds the offline media SDK with settings bound from configuration (for example the <c>OfflineMedia</c> section).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section to bind <see cref="OfflineMediaOptions"/> from.</param>
    /// <returns>A builder to plug in platform adapters.</returns>
    public static OfflineMediaBuilder AddOfflineMedia(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<OfflineMediaOptions>().Bind(configuration);
        return AddCore(services);
    }

    private static OfflineMediaBuilder AddCore(IServiceCollection services)
    {
        // First of the SDK's hosted services: the warm-up runs beside the rest of the host's start.
        services.TryAddSingleton<SqliteWarmUp>();
        services.TryAddSingleton<CacheWarmUp>(); // Also started by WarmUpOfflineMedia, where no host runs hosted services.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CacheWarmUp>(static sp => sp.GetRequiredService<CacheWarmUp>()));
        services.AddOptionsWithValidateOnStart<OfflineMediaOptions, OfflineMediaOptionsValidator>();
        services.AddOptionsWithValidateOnStart<DownloadRetryOptions, DownloadRetryOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IFileSystem, FileSystem>();

        services.TryAddSingleton<IDisplayProbe, NoDisplayProbe>();
        services.TryAddSingleton<IStorageProbe, DriveStorageProbe>();
        services.TryAddSingleton<IConnectivityProbe, NetworkInformationConnectivityProbe>();
        services.TryAddSingleton<IDeviceProfileProvider, DefaultDeviceProfileProvider>();
        services.TryAddSingleton<IVariantSelector, DefaultVariantSelector>();

        // No HTTP-level retry on the media client: the sync retries each file itself (ConfigureDownloadRetry), resuming it.
        // Each handler reads the connection limit when the factory makes it (every two minutes), so a change applies soon.
        var mediaClient = services.AddHttpClient(MediaDownloader.HttpClientName, static client => PreferHttp2(client))
            .ConfigurePrimaryHttpMessageHandler(static sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false, // The downloader follows redirects itself, checking every hop's scheme.
                AutomaticDecompression = DecompressionMethods.None, // Media is compressed already; lengths stay byte-exact.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(15),
                MaxConnectionsPerServer = ConnectionsPerServer(sp),
            });
        // ApiRequestTimeout bounds each whole answer, body included; HttpClient.Timeout would stop at the headers.
        var apiClient = services.AddHttpClient(CatalogHttp.HttpClientName, static client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                PreferHttp2(client);
            })
            .ConfigurePrimaryHttpMessageHandler(static sp => LimitConnections(new HttpClientHandler
            {
                // CatalogHttp follows redirects itself, through the same check as media. HttpClientHandler, not
                // SocketsHttpHandler, keeps the platform's own network stack on Android and iOS.
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate, // JSON shrinks several times; the size cap counts decompressed bytes.
            }, ConnectionsPerServer(sp)));
        services.TryAddSingleton<CatalogResponses>();
        services.TryAddSingleton<CatalogHttp>();
        services.TryAddSingleton<IWorkoutCatalog, HttpWorkoutCatalog>();
        services.TryAddSingleton<IExerciseMediaClient, HttpExerciseMediaClient>();

        services.AddMetrics();
        services.TryAddSingleton<OfflineMediaTelemetry>();
        services.TryAddSingleton<OfflineMediaEvents>();
        services.TryAddSingleton<UserSettingsStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OfflineMediaOptions>, UserSettingsStore>(static sp => sp.GetRequiredService<UserSettingsStore>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOptionsChangeTokenSource<OfflineMediaOptions>, UserSettingsStore>(static sp => sp.GetRequiredService<UserSettingsStore>()));
        services.TryAddSingleton<DefaultOfflineMediaManager>();
        services.TryAddSingleton<IOfflineMediaManager>(static sp => sp.GetRequiredService<DefaultOfflineMediaManager>());
        services.TryAddSingleton<IMediaSourceResolver, DefaultMediaSourceResolver>();

        services.TryAddSingleton<IDataUsageConsent, DeclineDataUsageConsent>();
        services.TryAddSingleton<StorageBudget>();
        services.TryAddSingleton<SyncStateKeeper>();
        services.TryAddSingleton<SyncPlanner>();
        services.TryAddSingleton<PlanFitter>();
        services.TryAddSingleton<ItemFetcher>();
        services.TryAddSingleton<SyncRunner>();
        services.TryAddSingleton<DefaultSyncScheduler>();
        services.TryAddSingleton<ISyncScheduler>(static sp => sp.GetRequiredService<DefaultSyncScheduler>());

        // The sync downloads through whichever IMediaCache the app uses; the SDK's own also says when a body is in.
        services.TryAddSingleton<IMediaDownloads>(static sp => MediaCacheDownloads.For(sp.GetRequiredService<IMediaCache>()));

        services.TryAddSingleton<MediaDownloader>();
        services.TryAddSingleton<DefaultMediaCache>();
        services.TryAddSingleton<IMediaCache>(static sp => sp.GetRequiredService<DefaultMediaCache>());
        services.TryAddSingleton<IMediaStreams, MediaStreams>();

        return new OfflineMediaBuilder(services, mediaClient, apiClient);
    }

    private static int ConnectionsPerServer(IServiceProvider services) =>
        services.GetRequiredService<IOptionsMonitor<OfflineMediaOptions>>().CurrentValue.ConnectionsPerServer;

    /// <summary>Sets the connection limit where the platform's handler takes one (the browser's does not).</summary>
    private static HttpClientHandler LimitConnections(HttpClientHandler handler, int connections)
    {
        try
        {
            handler.MaxConnectionsPerServer = connections;
        }
        catch (PlatformNotSupportedException)
        {
            // The platform pools connections its own way.
        }

        return handler;
    }

    /// <summary>HTTP/2 where the server offers it over TLS (one connection for many files), else HTTP/1.1.</summary>
    private static void PreferHttp2(HttpClient client)
    {
        client.DefaultRequestVersion = HttpVersion.Version20;
        client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
    }
}
