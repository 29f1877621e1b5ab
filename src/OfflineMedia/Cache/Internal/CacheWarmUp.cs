using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OfflineMedia.Diagnostics;
using OfflineMedia.Internal.Sqlite;

namespace OfflineMedia.Cache.Internal;

/// <summary>
/// As the host starts, opens the cache on the thread pool, so an app's first screen finds it open: SQLite loads on one
/// thread while the cache is created, claims its folder and registers its instance on another, then opens its index
/// and repairs what a crash left. A lookup made meanwhile waits for that same open. Only the SDK's own cache is opened:
/// an app that replaced <see cref="IMediaCache"/> has its own created, and nothing more. Where no generic host runs hosted
/// services (a MAUI app), the app starts it (<c>WarmUpOfflineMedia</c>).
/// </summary>
internal sealed class CacheWarmUp(SqliteWarmUp sqlite, IServiceProvider services, ILogger<CacheWarmUp> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Start();
        return Task.CompletedTask;
    }

    /// <summary>Queues the open; the host's start calls it, or the app where no host runs hosted services (a MAUI app).</summary>
    public void Start() =>
        // Nothing on the caller's thread: the rest of the host's (or the app's) start runs beside the open.
        ThreadPool.UnsafeQueueUserWorkItem(static warmUp => warmUp.OpenCache(), this, preferLocal: false);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Loads SQLite, and opens the SDK's cache on this thread (the start's work item; tests call it directly).</summary>
    internal void OpenCache()
    {
        sqlite.Start();
        try
        {
            if (services.GetService<IMediaCache>() is DefaultMediaCache cache
                && cache.OpenAhead() is { IsFaulted: true } failed
                && failed.Exception.InnerException is Exception reason and not ObjectDisposedException)
            {
                Log.CacheNotOpenedAhead(logger, cache.Paths.Root, reason);
            }
        }
        catch (ObjectDisposedException)
        {
            // The host stopped before the cache was created: nothing to open.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Invalid options, say, where no host validated them at its start (a MAUI app): the first use throws it too.
            Log.CacheNotCreatedAhead(logger, ex);
        }
    }
}
