using System.IO.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>
/// The SDK wired as an app wires it, on a real cache folder, against a fake origin on 127.0.0.1.
/// Disposing it closes the cache cleanly; <see cref="Abandon"/> leaves it as a crash would.
/// </summary>
public sealed class CacheHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private bool _abandoned;

    public CacheHost(
        string cacheDirectory,
        Uri? apiBaseAddress,
        Action<OfflineMediaOptions>? configure = null,
        IFileSystem? fileSystem = null,
        FakeStorageProbe? storage = null,
        FakeTimeProvider? time = null)
    {
        Storage = storage ?? FakeStorageProbe.WithGigabytes(100);
        // Starts at the real time, so workouts a fake origin schedules from now line up with the cache clock.
        Time = time ?? new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        var services = new ServiceCollection();
        // The collector's filter sees each record on the logging thread: the hook for OnLog (experimental, tests only).
#pragma warning disable EXTEXP0003
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddFakeLogging(o => o.CustomFilter = record =>
        {
            OnLog?.Invoke(record);
            return true;
        }));
#pragma warning restore EXTEXP0003
        services.AddSingleton<TimeProvider>(Time);
        if (fileSystem is not null)
        {
            services.AddSingleton(fileSystem);
        }

        services.AddOfflineMedia(o =>
        {
            o.ApiBaseAddress = apiBaseAddress;
            o.CacheDirectory = cacheDirectory;
            o.StorageReserveBytes = 0;
            configure?.Invoke(o);
        })
        .UseStorageProbe(Storage)
        .UseConnectivityProbe(new FakeConnectivityProbe());
        _provider = services.BuildServiceProvider();
        Logs = _provider.GetFakeLogCollector();
    }

    public IMediaCache Cache => _provider.GetRequiredService<IMediaCache>();

    internal DefaultMediaCache Default => _provider.GetRequiredService<DefaultMediaCache>();

    public FakeStorageProbe Storage { get; }

    /// <summary>Gets every message the SDK logged through this host.</summary>
    public FakeLogCollector Logs { get; }

    /// <summary>Gets or sets a callback run on the logging thread for every message, to act at a precise point of the SDK's work.</summary>
    public Action<FakeLogRecord>? OnLog { get; set; }

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => _provider;

    /// <summary>
    /// Drops the host without closing the index, as a killed process would: only the file locks go, as the OS releases a
    /// killed process's locks.
    /// </summary>
    public void Abandon()
    {
        _abandoned = true;
        Default.ReleaseLocksAsIfKilled();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_abandoned)
        {
            await _provider.DisposeAsync();
        }
    }
}
