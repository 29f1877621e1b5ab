using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OfflineMedia.Diagnostics;
using OfflineMedia.Profiles;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// The opt-in in-process loop (<c>EnableBackgroundSync()</c>): calls <see cref="ISyncScheduler.RunScheduledAsync"/>
/// every <see cref="OfflineMediaOptions.BackgroundSyncInterval"/> (±10% jitter, so a fleet of devices does not
/// hit the server at once) and whenever the network changes. Hosts with a platform scheduler call
/// <see cref="ISyncScheduler.RunScheduledAsync"/> from it instead.
/// </summary>
internal sealed class BackgroundSyncService(
    ISyncScheduler scheduler,
    IConnectivityProbe connectivity,
    IOptionsMonitor<OfflineMediaOptions> options,
    TimeProvider time,
    ILogger<BackgroundSyncService> logger) : BackgroundService
{
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        connectivity.Changed += OnNetworkChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await scheduler.RunScheduledAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The loop outlives one bad sync; the next tick tries again.
                    Log.BackgroundSyncFailed(logger, ex);
                }

                var interval = options.CurrentValue.BackgroundSyncInterval;
                var jittered = interval * (0.9 + (Random.Shared.NextDouble() * 0.2));
                try
                {
                    await Volatile.Read(ref _wake).Task.WaitAsync(jittered, time, stoppingToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // The interval passed: time for the next scheduled sync.
                }

                Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
        finally
        {
            connectivity.Changed -= OnNetworkChanged;
        }
    }

    private void OnNetworkChanged(object? sender, ConnectivityState state)
    {
        if (state.HasInternet)
        {
            Volatile.Read(ref _wake).TrySetResult(); // The network came back: a due sync need not wait for the next tick.
        }
    }
}
