using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OfflineMedia.Internal.Sqlite;

namespace OfflineMedia.Cache.Internal;

/// <summary>
/// As the host starts, prepares the cache's first use on the thread pool: loads SQLite, and creates the cache with its
/// services (telemetry, HTTP client factory, options), 10 to 20 ms a first lookup, often the app's first screen, would
/// otherwise spend. The cache is not opened: its folder is claimed, and a crash repaired, on its first use.
/// </summary>
internal sealed class CacheWarmUp(SqliteWarmUp sqlite, IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        sqlite.Start();
        ThreadPool.UnsafeQueueUserWorkItem(static services =>
        {
            try
            {
                services.GetService<DefaultMediaCache>();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The first use creates it again, and reports why it cannot be (a host stopped meanwhile, say).
            }
        }, services, preferLocal: false);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
