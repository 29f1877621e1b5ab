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
/// One sync of a list of workouts, composed of its parts: plan (<see cref="SyncPlanner"/>, files not cached starting
/// as their media info arrives: <see cref="HeadStart"/>) → pin (<see cref="SyncStateKeeper"/>) → fit to storage and
/// consent (<see cref="PlanFitter"/>) → transfers (<see cref="ItemFetcher"/>) → state, cleanup and report. See
/// <c>readme.md</c> beside this file.
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
        var results = new ConcurrentDictionary<MediaKey, SyncItemResult>();
        var availability = new AvailabilityWatch(state, events);
        var tracker = new ProgressTracker(new EventProgress(progress, events), time, []);
        using var run = fetcher.Open(options, request.Explicit, request.Started, tracker);
        HeadStart? headStart = null;
        using var transfers = new TransferQueue(fetcher, run, (item, result) =>
        {
            results[item.Key] = result;
            tracker.Finished(item, result.Outcome is SyncItemOutcome.Downloaded or SyncItemOutcome.Cached ? result.Bytes : null);
            availability.Finished(item, result);
            headStart!.Finished(item); // Files are added only once it is open.
        }, cancellationToken);

        SyncPlan plan;
        FittedPlan fitted;
        try
        {
            // Files not cached start while the plan is read, as their media info arrives; the fit adds the rest after it.
            headStart = await fitter.OpenHeadStartAsync(options, planner.TypicalBytes(workouts, options), transfers.Files, tracker, cancellationToken).ConfigureAwait(false);
            plan = await planner.PlanAsync(workouts, only, options, cancellationToken, headStart.OfferAsync).ConfigureAwait(false);
            headStart.Close();
            foreach (var (key, failed) in plan.Failed)
            {
                results[key] = failed;
            }

            await availability.StartAsync(workouts, plan, headStart, cancellationToken).ConfigureAwait(false);

            // Pinned before anything downloads but the head start's files (which need no room made), so eviction to make
            // room never takes what this sync wants.
            await state.PinAsync(workouts, plan, cancellationToken).ConfigureAwait(false);
            fitted = await fitter.FitAsync(plan.Items.Values.Where(i => !headStart.HasStarted(i.Key)), options, headStart, cancellationToken).ConfigureAwait(false);
            foreach (var (key, settled) in fitted.Settled)
            {
                results[key] = settled;
            }

            var work = fitted.Work();
            tracker.Add(work);
            tracker.Start();
            foreach (var item in work)
            {
                transfers.Files.TryWrite((item, fitted.Revalidations.Contains(item)));
            }
        }
        catch
        {
            await transfers.AbortAsync().ConfigureAwait(false); // Whatever ended the planning ends the downloads it started.
            throw;
        }

        await transfers.CompleteAsync().ConfigureAwait(false);

        var items = SyncReports.Items(plan, results);
        var states = await state.FinishAsync(workouts, plan, items, cancellationToken).ConfigureAwait(false);
        state.RecordFailures(items, retry: only is not null);
        var report = SyncReports.Report(request.Started, time.GetUtcNow(), items, states, fitted.Reason);
        Log.SyncFinished(logger, report.Outcome, report.Downloaded, report.Cached, report.Skipped, report.Failed, report.BytesDownloaded, report.Duration.TotalMilliseconds);
        return report;
    }
}
