using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OfflineMedia.Diagnostics;
using OfflineMedia.Profiles;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// The opt-in in-process loop (<c>EnableBackgroundSync()</c>): calls <see cref="ISyncScheduler.RunScheduledAsync"/>
/// every <see cref="OfflineMediaOptions.BackgroundSyncInterval"/> (±10%) and whenever the network comes back. The first
/// call, and one the network woke, wait this device's own random offset within
/// <see cref="OfflineMediaOptions.BackgroundSyncJitter"/>, so a fleet of devices does not hit the server at once. Hosts
/// with a platform scheduler call <see cref="ISyncScheduler.RunScheduledAsync"/> from it instead.
/// </summary>
internal sealed class BackgroundSyncService(
    ISyncScheduler scheduler,
    IConnectivityProbe connectivity,
    IOptionsMonitor<OfflineMediaOptions> options,
    SyncJitter jitter,
    TimeProvider time,
    ILogger<BackgroundSyncService> logger) : BackgroundService
{
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The loop, until <paramref name="stoppingToken"/> is canceled.</summary>
    internal async Task RunAsync(CancellationToken stoppingToken)
    {
        connectivity.Changed += OnNetworkChanged;
        try
        {
            // Devices started together (an app update, a gym opening) do not sync together.
            await WaitOffsetAsync(stoppingToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
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

                if (await WaitForNextAsync(stoppingToken).ConfigureAwait(false))
                {
                    // The network came back, likely for every device around (a gym's Wi-Fi): each waits its own offset.
                    await WaitOffsetAsync(stoppingToken).ConfigureAwait(false);
                }
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

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => RunAsync(stoppingToken);

    private Task WaitOffsetAsync(CancellationToken stoppingToken)
    {
        var current = options.CurrentValue;
        var offset = jitter.Within(current.BackgroundSyncJitter < current.BackgroundSyncInterval ? current.BackgroundSyncJitter : current.BackgroundSyncInterval);
        return offset > TimeSpan.Zero ? Task.Delay(offset, time, stoppingToken) : Task.CompletedTask;
    }

    /// <summary>Waits for the next tick or for the network to come back; true when the network woke it.</summary>
    private async Task<bool> WaitForNextAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Volatile.Read(ref _wake).Task.WaitAsync(jitter.Around(options.CurrentValue.BackgroundSyncInterval), time, stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false; // The interval passed: time for the next scheduled sync.
        }
        finally
        {
            Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
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
