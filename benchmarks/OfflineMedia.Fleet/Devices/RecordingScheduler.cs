using System.Diagnostics;
using OfflineMedia.Sync;

namespace OfflineMedia.Fleet.Devices;

/// <summary>
/// Wraps a device's <see cref="ISyncScheduler"/> (the one the SDK registered, so its own background loop calls this too):
/// records each sync, by the device's clock and in real time, and tags its requests.
/// </summary>
internal sealed class RecordingScheduler(ISyncScheduler inner, int device, TimeProvider clock, SyncRecorder recorder) : ISyncScheduler
{
    public async Task<SyncReport> SyncUpcomingAsync(IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default) =>
        (await RecordAsync(scheduled: false, async () => await inner.SyncUpcomingAsync(progress, cancellationToken)))!;

    public Task<SyncReport?> RunScheduledAsync(CancellationToken cancellationToken = default) =>
        RecordAsync(scheduled: true, () => inner.RunScheduledAsync(cancellationToken));

    public Task<SyncReport> SyncWorkoutAsync(string workoutId, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default) =>
        inner.SyncWorkoutAsync(workoutId, progress, cancellationToken);

    public Task<SyncReport> RetryFailedAsync(IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default) =>
        inner.RetryFailedAsync(progress, cancellationToken);

    public Task<WorkoutSyncState?> GetWorkoutStateAsync(string workoutId, CancellationToken cancellationToken = default) =>
        inner.GetWorkoutStateAsync(workoutId, cancellationToken);

    private async Task<SyncReport?> RecordAsync(bool scheduled, Func<Task<SyncReport?>> sync)
    {
        var tag = new SyncTag { Scheduled = scheduled };
        SyncTag.Current = tag; // Flows into the sync's requests; this method's end restores the caller's.
        recorder.OnStart();
        var startedAt = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        try
        {
            var report = await sync();
            tag.Ran = report is not null;
            recorder.OnEnd(new SyncRecord(device, scheduled, startedAt, watch.Elapsed, report, null));
            return report;
        }
        catch (Exception ex)
        {
            recorder.OnEnd(new SyncRecord(device, scheduled, startedAt, watch.Elapsed, null, ex));
            throw;
        }
    }
}
