using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OfflineMedia.Catalog;
using OfflineMedia.Playback;
using OfflineMedia.Playback.Internal;
using OfflineMedia.Profiles;
using Microsoft.Extensions.Hosting;
using OfflineMedia.Sync;
using OfflineMedia.Sync.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs platform adapters into the offline media SDK; returned by <c>AddOfflineMedia</c>.</summary>
public sealed class OfflineMediaBuilder
{
    private readonly IHttpClientBuilder _mediaHttpClient;
    private readonly IHttpClientBuilder _apiHttpClient;

    internal OfflineMediaBuilder(IServiceCollection services, IHttpClientBuilder mediaHttpClient, IHttpClientBuilder apiHttpClient)
    {
        Services = services;
        _mediaHttpClient = mediaHttpClient;
        _apiHttpClient = apiHttpClient;
    }

    /// <summary>Gets the service collection the SDK is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Configures the <see cref="HttpClient"/> that downloads media, for example to add an authentication
    /// handler or a resilience pipeline (<c>AddStandardResilienceHandler</c>). A sync already retries each file (see
    /// <see cref="ConfigureDownloadRetry"/>): let only one of the two retry, or every retry of one is retried by the other.
    /// </summary>
    /// <param name="configure">Configures the client's builder.</param>
    /// <returns>This builder.</returns>
    public OfflineMediaBuilder ConfigureMediaHttpClient(Action<IHttpClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_mediaHttpClient);
        return this;
    }

    /// <summary>
    /// Configures the <see cref="HttpClient"/> that reads workouts and exercise media info from the API, for example
    /// to add an authentication handler.
    /// </summary>
    /// <param name="configure">Configures the client's builder.</param>
    /// <returns>This builder.</returns>
    public OfflineMediaBuilder ConfigureApiHttpClient(Action<IHttpClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_apiHttpClient);
        return this;
    }

    /// <summary>
    /// Tunes how a sync waits between tries of one file (the longest backoff, and jitter). The number of tries and the
    /// first wait are <see cref="OfflineMedia.OfflineMediaOptions.MaxDownloadAttempts"/> and
    /// <see cref="OfflineMedia.OfflineMediaOptions.RetryBaseDelay"/>; set <c>MaxDownloadAttempts = 1</c> to leave
    /// retries to a resilience handler on the media client instead.
    /// </summary>
    /// <param name="configure">Sets the options; they are validated when the host starts (or when the sync first needs them).</param>
    /// <returns>This builder.</returns>
    public OfflineMediaBuilder ConfigureDownloadRetry(Action<DownloadRetryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

    /// <summary>Uses <typeparamref name="TCatalog"/> to find workouts, instead of the API's workout routes.</summary>
    /// <typeparam name="TCatalog">The app's catalog (its own API, GraphQL, a local database).</typeparam>
    /// <returns>This builder.</returns>
    public OfflineMediaBuilder UseWorkoutCatalog<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TCatalog>()
        where TCatalog : class, IWorkoutCatalog => Use<IWorkoutCatalog, TCatalog>();

    /// <summary>Uses <typeparamref name="TClient"/> to read exercise media info, instead of <c>GET api/exercises/{id}/media</c>.</summary>
    /// <typeparam name="TClient">The app's media info client.</typeparam>
    /// <returns>This builder.</returns>
    public OfflineMediaBuilder UseExerciseMediaClient<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TClient>()
        where TClient : class, IExerciseMediaClient => Use<IExerciseMediaClient, TClient>();

    /// <summary>Uses <typeparamref name="TConsent"/> to ask the user before a large cellular download; without one such downloads are declined.</summary>
    /// <typeparam name="TConsent">The app's prompt.</typeparam>
    /// <returns>This builder.</returns>
    public OfflineMediaBuilder UseDataUsageConsent<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TConsent>()
        where TConsent : class, IDataUsageConsent => Use<IDataUsageConsent, TConsent>();

    /// <summary>Uses <paramref name="consent"/> to ask the user before a large cellular download.</summary>
    /// <param name="consent">The app's prompt.</param>
    /// <returns>This builder.</returns>
    public OfflineMediaBuilder UseDataUsageConsent(IDataUsageConsent consent) => Use(consent);

    /// <summary>
    /// Turns on the in-process sync loop: the scheduled sync runs every <see cref="OfflineMedia.OfflineMediaOptions.BackgroundSyncInterval"/>
    /// (with jitter) and when the network comes back, while the host runs; the first of these, and one the network woke,
    /// wait a random offset within <see cref="OfflineMedia.OfflineMediaOptions.BackgroundSyncJitter"/>. Off by default: mobile apps usually call
    /// <see cref="ISyncScheduler.RunScheduledAsync"/> from the platform's background task scheduler instead.
    /// </summary>
    /// <returns>This builder.</returns>
    public OfflineMediaBuilder EnableBackgroundSync()
    {
        Services.TryAddSingleton(static _ => new SyncJitter(new Random())); // Seeded by the system: each device its own offsets.
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, BackgroundSyncService>());
        return this;
    }

    /// <summary>
    /// Turns on the local media server, <see cref="ILocalMediaServer"/>: URLs on 127.0.0.1 for players that take only a
    /// URL, serving media through the cache as they play. It starts on the first URL asked for and stops with the host.
    /// </summary>
    /// <returns>This builder.</returns>
    public OfflineMediaBuilder EnableLocalMediaServer()
    {
        Services.TryAddSingleton<LocalMediaServer>();
        Services.TryAddSingleton<ILocalMediaServer>(static sp => sp.GetRequiredService<LocalMediaServer>());
        return this;
    }

    /// <summary>Uses <typeparamref name="TProbe"/> to read the display, instead of the default (no display: a desktop).</summary>
    /// <typeparam name="TProbe">The platform's display probe.</typeparam>
    /// <returns>This builder.</returns>
    public OfflineMediaBuilder UseDisplayProbe<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TProbe>()
        where TProbe : class, IDisplayProbe => Use<IDisplayProbe, TProbe>();

    /// <summary>Uses <paramref name="probe"/> to read the display.</summary>
    /// <param name="probe">The display probe.</param>
    /// <returns>This builder.</returns>
    public OfflineMediaBuilder UseDisplayProbe(IDisplayProbe probe) => Use(probe);

    /// <summary>Uses <typeparamref name="TProbe"/> to read free storage, instead of the drive that holds the cache folder.</summary>
    /// <typeparam name="TProbe">The platform's storage probe.</typeparam>
    /// <returns>This builder.</returns>
    public OfflineMediaBuilder UseStorageProbe<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TProbe>()
        where TProbe : class, IStorageProbe => Use<IStorageProbe, TProbe>();

    /// <summary>Uses <paramref name="probe"/> to read free storage.</summary>
    /// <param name="probe">The storage probe.</param>
    /// <returns>This builder.</returns>
    public OfflineMediaBuilder UseStorageProbe(IStorageProbe probe) => Use(probe);

    /// <summary>Uses <typeparamref name="TProbe"/> to read the network, instead of <c>System.Net.NetworkInformation</c>.</summary>
    /// <typeparam name="TProbe">The platform's connectivity probe.</typeparam>
    /// <returns>This builder.</returns>
    public OfflineMediaBuilder UseConnectivityProbe<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TProbe>()
        where TProbe : class, IConnectivityProbe => Use<IConnectivityProbe, TProbe>();

    /// <summary>Uses <paramref name="probe"/> to read the network.</summary>
    /// <param name="probe">The connectivity probe.</param>
    /// <returns>This builder.</returns>
    public OfflineMediaBuilder UseConnectivityProbe(IConnectivityProbe probe) => Use(probe);

    private OfflineMediaBuilder Use<TService, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>()
        where TService : class
        where TImplementation : class, TService
    {
        // An explicit Use* call is the app's choice: it replaces the default (or an earlier choice).
        Services.Replace(ServiceDescriptor.Singleton<TService, TImplementation>());
        return this;
    }

    private OfflineMediaBuilder Use<TService>(TService instance)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(instance);
        Services.Replace(ServiceDescriptor.Singleton(instance));
        return this;
    }
}
