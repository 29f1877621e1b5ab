using Microsoft.Extensions.DependencyInjection;
using OfflineMedia.Cache;
using OfflineMedia.Sync;
using OfflineMedia.Testing;

namespace OfflineMedia.Benchmarks.Sync;

/// <summary>
/// The SDK wired as an app wires it (<c>AddOfflineMedia</c>, Wi-Fi, 100 GB free, no reserve, a 64 GiB budget)
/// on a fresh, empty cache folder, so every sync really downloads. <see cref="OpenAsync"/> opens the index and
/// the sync state up front, as a running app has them open; the sync itself is what a benchmark measures.
/// </summary>
internal sealed class SdkSyncHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public SdkSyncHost(Uri apiBaseAddress, string cacheDirectory, int maxParallelDownloads)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOfflineMedia(o =>
        {
            o.ApiBaseAddress = apiBaseAddress;
            o.CacheDirectory = cacheDirectory;
            o.MaxParallelDownloads = maxParallelDownloads;
            o.StorageReserveBytes = 0;
            o.CacheSizeLimitBytes = 64L * 1024 * 1024 * 1024;
        })
        .UseConnectivityProbe(new FakeConnectivityProbe())
        .UseStorageProbe(FakeStorageProbe.WithGigabytes(100));
        _provider = services.BuildServiceProvider();
        Scheduler = _provider.GetRequiredService<ISyncScheduler>();
        Cache = _provider.GetRequiredService<IMediaCache>();
    }

    public ISyncScheduler Scheduler { get; }

    public IMediaCache Cache { get; }

    public async Task OpenAsync()
    {
        await Cache.GetUsageAsync().ConfigureAwait(false);
        await Scheduler.GetWorkoutStateAsync("not-a-workout").ConfigureAwait(false);
    }

    /// <summary>Syncs the workout and checks every file arrived: a broken run must not post a fast time.</summary>
    public async Task<SyncReport> SyncAsync(string workoutId, int expectedFiles)
    {
        var report = await Scheduler.SyncWorkoutAsync(workoutId).ConfigureAwait(false);
        if (report.Downloaded != expectedFiles || report.Failed != 0)
        {
            throw new InvalidOperationException($"The sync downloaded {report.Downloaded} of {expectedFiles} files ({report.Failed} failed): {report.Reason}");
        }

        return report;
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
