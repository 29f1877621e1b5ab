using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OfflineMedia.Cache;
using OfflineMedia.Sync;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>
/// The SDK wired for syncing as a phone app wires it: a real cache folder, the default HTTP catalog against a
/// fake origin on 127.0.0.1, fake probes the test switches, and real time unless the test passes its own
/// clock (retry and pause delays then elapse on their own). Retries wait 50 ms, not 1 s.
/// </summary>
public sealed class SyncHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public SyncHost(
        string cacheDirectory,
        Uri? apiBaseAddress,
        Action<OfflineMediaOptions>? configure = null,
        TimeProvider? time = null,
        FakeConnectivityProbe? network = null,
        FakeStorageProbe? storage = null,
        FakeDisplayProbe? display = null,
        IDataUsageConsent? consent = null,
        Action<OfflineMediaBuilder>? adapt = null)
    {
        Time = time ?? TimeProvider.System;
        Network = network ?? new FakeConnectivityProbe(FakeConnectivityProbe.WiFi);
        Storage = storage ?? FakeStorageProbe.WithGigabytes(100);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddFakeLogging());
        services.AddSingleton(Time);
        var builder = services.AddOfflineMedia(o =>
            {
                o.ApiBaseAddress = apiBaseAddress;
                o.CacheDirectory = cacheDirectory;
                o.StorageReserveBytes = 0;
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
                o.SyncPauseTimeout = TimeSpan.FromSeconds(20);
                o.DownloadStallTimeout = TimeSpan.FromSeconds(20);
                configure?.Invoke(o);
            })
            .UseConnectivityProbe(Network)
            .UseStorageProbe(Storage)
            .UseDisplayProbe(display ?? new FakeDisplayProbe(FakeDisplayProbe.Phone));
        if (consent is not null)
        {
            builder.UseDataUsageConsent(consent);
        }

        adapt?.Invoke(builder); // What one test adds, e.g. trust in its own TLS certificate.

        _provider = services.BuildServiceProvider();
        Logs = _provider.GetFakeLogCollector();
    }

    public ISyncScheduler Scheduler => _provider.GetRequiredService<ISyncScheduler>();

    public IMediaCache Cache => _provider.GetRequiredService<IMediaCache>();

    public FakeConnectivityProbe Network { get; }

    public FakeStorageProbe Storage { get; }

    public TimeProvider Time { get; }

    /// <summary>Gets every message the SDK logged through this host.</summary>
    public FakeLogCollector Logs { get; }

    public IServiceProvider Services => _provider;

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();
}
