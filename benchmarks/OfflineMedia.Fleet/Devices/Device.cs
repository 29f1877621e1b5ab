using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OfflineMedia.Cache;
using OfflineMedia.Fleet.Traffic;
using OfflineMedia.Sync;
using OfflineMedia.Testing;

namespace OfflineMedia.Fleet.Devices;

/// <summary>
/// One phone: its own service provider with the SDK as an app wires it (<c>AddOfflineMedia</c>, a phone's display,
/// 16 GB free, Wi-Fi, the in-process background sync turned on, every other option at its default), its own fake clock and
/// its own cache folder. Nothing is shared with the other devices but the process and the meters.
/// </summary>
internal sealed class Device : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private IHostedService[] _started = [];

    private Device(int number, ServiceProvider provider)
    {
        Number = number;
        _provider = provider;
        Scheduler = provider.GetRequiredService<ISyncScheduler>();
        Cache = provider.GetRequiredService<IMediaCache>();
    }

    public int Number { get; }

    public ISyncScheduler Scheduler { get; }

    public IMediaCache Cache { get; }

    public static Device Create(int number, Uri api, string cacheDirectory, FleetClock clock, TrafficMeter meter, SyncRecorder recorder)
    {
        var time = clock.CreateClock();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddOfflineMedia(o =>
            {
                o.ApiBaseAddress = api;
                o.CacheDirectory = cacheDirectory;
            })
            .UseDisplayProbe(new FakeDisplayProbe(FakeDisplayProbe.Phone))
            .UseStorageProbe(FakeStorageProbe.WithGigabytes(16))
            .UseConnectivityProbe(new FakeConnectivityProbe())
            .ConfigureApiHttpClient(http => http.AddHttpMessageHandler(() => new CountingHandler(meter, time, closeConnection: true)))
            .ConfigureMediaHttpClient(http => http
                .AddHttpMessageHandler(() => new CountingHandler(meter, time))
                .ConfigurePrimaryHttpMessageHandler(static (handler, _) => ShortIdleConnections(handler)))
            .EnableBackgroundSync();
        Decorate<ISyncScheduler>(services, (sp, inner) => new RecordingScheduler(inner, number, time, recorder));
        return new Device(number, services.BuildServiceProvider());
    }

    /// <summary>Starts the SDK's background sync loop, as the app's host would when it starts; its first check runs at once.</summary>
    public async Task StartBackgroundSyncAsync()
    {
        _started = [.. _provider.GetServices<IHostedService>()];
        foreach (var service in _started)
        {
            await service.StartAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _started)
        {
            await service.StopAsync(CancellationToken.None);
        }

        await _provider.DisposeAsync();
    }

    /// <summary>
    /// Closes a media connection 5 s after its last use rather than a minute (and API requests ask for <c>Connection: close</c>,
    /// as the API client's handler has no such setting): a thousand phones in one process share one limit of open files
    /// (20,000 here), and the in-process origin holds the other end of each connection too. Every other setting is the SDK's.
    /// </summary>
    private static void ShortIdleConnections(HttpMessageHandler handler)
    {
        if (handler is SocketsHttpHandler sockets)
        {
            sockets.PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5);
        }
    }

    /// <summary>Replaces the registration of <typeparamref name="T"/> with a wrapper around it, whatever form the SDK registered it in.</summary>
    private static void Decorate<T>(ServiceCollection services, Func<IServiceProvider, T, T> wrap)
        where T : class
    {
        var original = services.Last(d => d.ServiceType == typeof(T));
        Func<IServiceProvider, object> create = original switch
        {
            { ImplementationFactory: { } factory } => factory,
            { ImplementationInstance: { } instance } => _ => instance,
            { ImplementationType: { } type } => sp => ActivatorUtilities.CreateInstance(sp, type),
            _ => throw new InvalidOperationException($"{typeof(T).Name} is registered in a form this tool cannot wrap."),
        };
        services.Remove(original);
        services.AddSingleton(sp => wrap(sp, (T)create(sp)));
    }
}
