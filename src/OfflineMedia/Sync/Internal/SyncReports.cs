using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OfflineMedia.Cache;
using OfflineMedia.Diagnostics;

namespace OfflineMedia.Sync.Internal;

/// <summary>How a sync and its files are reported: the outcome from the files' outcomes, and the reason in words an app can show.</summary>
internal static class SyncReports
{
    /// <summary>The report of a sync that ran: its outcome from its files', and the first reason of each kind that was not complete.</summary>
    public static SyncReport Report(DateTimeOffset started, DateTimeOffset now, List<SyncItemResult> items, List<WorkoutSyncState> workouts, string? policyReason)
    {
        var ok = items.Count(i => i.Outcome is SyncItemOutcome.Downloaded or SyncItemOutcome.Cached);
        var failed = items.Count(i => i.Outcome == SyncItemOutcome.Failed);
        var skipped = items.Count(i => i.Outcome == SyncItemOutcome.Skipped);
        var outcome = failed + skipped == 0 ? SyncOutcome.Complete
            : ok > 0 ? SyncOutcome.Partial
            : failed > 0 ? SyncOutcome.Failed
            : SyncOutcome.Skipped;

        var reason = outcome == SyncOutcome.Complete ? null
            : policyReason ?? string.Join("; ", new[]
            {
                failed > 0 ? $"{failed} of {items.Count} files failed (first: {items.First(i => i.Outcome == SyncItemOutcome.Failed).Reason})" : null,
                skipped > 0 ? $"{skipped} files were left out (first: {items.First(i => i.Outcome == SyncItemOutcome.Skipped).Reason})" : null,
            }.OfType<string>());

        return new SyncReport
        {
            Outcome = outcome,
            Reason = reason,
            Items = items,
            Workouts = workouts,
            StartedAt = started,
            Duration = now - started,
        };
    }

    /// <summary>A sync the policy did not allow.</summary>
    public static SyncReport Skipped(DateTimeOffset started, DateTimeOffset now, string reason, ILogger logger)
    {
        Log.SyncSkipped(logger, reason);
        return new SyncReport { Outcome = SyncOutcome.Skipped, Reason = reason, Items = [], Workouts = [], StartedAt = started, Duration = now - started };
    }

    /// <summary>A sync that could not start: the catalog did not answer.</summary>
    public static SyncReport Failed(DateTimeOffset started, DateTimeOffset now, string reason, ILogger logger)
    {
        Log.SyncFailed(logger, reason);
        return new SyncReport { Outcome = SyncOutcome.Failed, Reason = reason, Items = [], Workouts = [], StartedAt = started, Duration = now - started };
    }

    /// <summary>Each planned file's result with its workouts, then the results of files planning failed, in key order.</summary>
    public static List<SyncItemResult> Items(SyncPlan plan, ConcurrentDictionary<MediaKey, SyncItemResult> results) =>
        plan.Items.Values.Select(p => results[p.Key] with { WorkoutIds = p.WorkoutIds })
            .Concat(results.Values.Where(r => !plan.Items.ContainsKey(r.Key)))
            .OrderBy(r => r.Key.ExerciseId, StringComparer.Ordinal).ThenBy(r => r.Key.Kind).ThenBy(r => r.Key.Variant, StringComparer.Ordinal)
            .ToList();

    public static SyncItemResult Succeeded(PlannedItem item, CachedMedia media, SyncItemOutcome outcome) => new()
    {
        Key = item.Key,
        Outcome = outcome,
        LocalPath = media.LocalPath,
        Bytes = media.Bytes,
        Sha256 = media.Sha256,
    };

    public static SyncItemResult FailedItem(PlannedItem item, string reason, MediaCacheError? error = null) => new()
    {
        Key = item.Key,
        Outcome = SyncItemOutcome.Failed,
        Reason = reason,
        Error = error,
        Bytes = item.EstimatedBytes,
    };

    public static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:0.0} MB";
}
