using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OfflineMedia.Cache;
using OfflineMedia.Catalog;
using OfflineMedia.Diagnostics;
using OfflineMedia.Storage;
using OfflineMedia.Storage.Internal;
using OfflineMedia.Variants;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// One sync of a list of workouts, composed of its parts: plan (<see cref="SyncPlanner"/>) → pin
/// (<see cref="SyncStateKeeper"/>) → fit to storage and consent (<see cref="PlanFitter"/>) → transfers
/// (<see cref="ItemFetcher"/>) → state, cleanup and report. See <c>readme.md</c> beside this file.
/// </summary>
internal sealed class SyncRunner(
    SyncPlanner planner,
    PlanFitter fitter,
    ItemFetcher fetcher,
    SyncStateKeeper state,
    OfflineMediaEvents events,
    OfflineMediaTelemetry telemetry,
    TimeProvider time,
    ILogger<SyncRunner> logger)
{
    /// <summary>Runs a sync of <paramref name="workouts"/>; when <paramref name="only"/> is set, only those (exercise, kind, is-poster) slots: a retry of what failed.</summary>
    public async Task<SyncReport> RunAsync(
        IReadOnlyList<Workout> workouts,
        SyncRequest request,
        HashSet<(string ExerciseId, MediaKind Kind, bool Poster)>? only,
        IProgress<SyncProgress>? progress,
        CancellationToken cancellationToken)
    {
        using var activity = telemetry.ActivitySource.StartActivity(OfflineMediaDiagnostics.SyncActivity);
        events.SetState(SyncState.Running);
        try
        {
            var report = await RunCoreAsync(workouts, request, only, progress, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("sync.outcome", report.Outcome.ToString());
            activity?.SetTag("sync.files.downloaded", report.Downloaded);
            activity?.SetTag("sync.files.failed", report.Failed);
            telemetry.SyncFinished(report.Outcome, report.Duration);
            return report;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
        finally
        {
            events.SetState(SyncState.Idle);
        }
    }

    /// <summary>Each workout once, the first listing of an id winning: a catalog may repeat one.</summary>
    internal static IReadOnlyList<Workout> DistinctById(IReadOnlyList<Workout> workouts)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var distinct = new List<Workout>(workouts.Count);
        foreach (var workout in workouts)
        {
            if (workout is not null && seen.Add(workout.Id))
            {
                distinct.Add(workout);
            }
        }

        return distinct.Count == workouts.Count ? workouts : distinct;
    }

    private async Task<SyncReport> RunCoreAsync(
        IReadOnlyList<Workout> workouts,
        SyncRequest request,
        HashSet<(string ExerciseId, MediaKind Kind, bool Poster)>? only,
        IProgress<SyncProgress>? progress,
        CancellationToken cancellationToken)
    {
        var options = request.Options;
        workouts = DistinctById(workouts);
        var plan = await planner.PlanAsync(workouts, only, options, cancellationToken).ConfigureAwait(false);
        var results = new ConcurrentDictionary<MediaKey, SyncItemResult>(plan.Failed);
        var availability = new AvailabilityWatch(state, events, plan);
        await availability.StartAsync(workouts, cancellationToken).ConfigureAwait(false);

        // Pinned before anything downloads, so eviction to make room never takes what this sync wants.
        await state.PinAsync(workouts, plan, cancellationToken).ConfigureAwait(false);
        var fitted = await fitter.FitAsync(plan.Items.Values, options, cancellationToken).ConfigureAwait(false);
        foreach (var (key, settled) in fitted.Settled)
        {
            results[key] = settled;
        }

        var work = fitted.Work();
        var tracker = new ProgressTracker(new EventProgress(progress, events), time, work);
        tracker.Start();
        using (var run = fetcher.Open(options, request.Explicit, request.Started, tracker))
        {
            await fetcher.RunAsync(run, work, fitted.Revalidations, (item, result) =>
            {
                results[item.Key] = result;
                tracker.Finished(item, result.Outcome is SyncItemOutcome.Downloaded or SyncItemOutcome.Cached ? result.Bytes : null);
                availability.Finished(item, result);
            }, cancellationToken).ConfigureAwait(false);
        }

        var items = SyncReports.Items(plan, results);
        var states = await state.FinishAsync(workouts, plan, items, cancellationToken).ConfigureAwait(false);
        state.RecordFailures(items, retry: only is not null);
        var report = SyncReports.Report(request.Started, time.GetUtcNow(), items, states, fitted.Reason);
        Log.SyncFinished(logger, report.Outcome, report.Downloaded, report.Cached, report.Skipped, report.Failed, report.BytesDownloaded, report.Duration.TotalMilliseconds);
        return report;
    }
}
