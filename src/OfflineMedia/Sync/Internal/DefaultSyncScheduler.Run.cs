using System.Collections.Concurrent;
using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;
using OfflineMedia.Catalog;
using OfflineMedia.Diagnostics;
using OfflineMedia.Profiles;
using OfflineMedia.Storage;
using OfflineMedia.Storage.Internal;
using OfflineMedia.Variants;
using OfflineMedia.Variants.Internal;

namespace OfflineMedia.Sync.Internal;

internal sealed partial class DefaultSyncScheduler
{
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Runs a sync of <paramref name="workouts"/>; when <paramref name="only"/> is set, only those (exercise, kind, is-poster) slots: a retry of what failed.</summary>
    private async Task<SyncReport> RunAsync(
        IReadOnlyList<Workout> workouts,
        bool explicitRequest,
        HashSet<(string ExerciseId, MediaKind Kind, bool Poster)>? only,
        IProgress<SyncProgress>? progress,
        DateTimeOffset started,
        CancellationToken cancellationToken)
    {
        using var activity = _telemetry.ActivitySource.StartActivity(OfflineMediaDiagnostics.SyncActivity);
        _events.SetState(SyncState.Running);
        try
        {
            var report = await RunCoreAsync(workouts, explicitRequest, only, progress, started, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("sync.outcome", report.Outcome.ToString());
            activity?.SetTag("sync.files.downloaded", report.Downloaded);
            activity?.SetTag("sync.files.failed", report.Failed);
            _telemetry.SyncFinished(report.Outcome, report.Duration);
            return report;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
        finally
        {
            _events.SetState(SyncState.Idle);
        }
    }

    private async Task<SyncReport> RunCoreAsync(
        IReadOnlyList<Workout> workouts,
        bool explicitRequest,
        HashSet<(string ExerciseId, MediaKind Kind, bool Poster)>? only,
        IProgress<SyncProgress>? progress,
        DateTimeOffset started,
        CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        var results = new ConcurrentDictionary<MediaKey, SyncItemResult>();
        var plan = await PlanAsync(workouts, only, results, cancellationToken).ConfigureAwait(false);
        using var availability = new AvailabilityWatch(this, workouts);
        await availability.UpdateAsync(workouts.Select(w => w.Id), cancellationToken).ConfigureAwait(false);

        // Pinned before anything downloads, so eviction to make room never takes what this sync wants.
        foreach (var workout in workouts)
        {
            var keys = plan.Values.Where(p => p.WorkoutIds.Contains(workout.Id)).Select(p => p.Key).ToList();
            var until = Max(workout.ScheduledAt, _time.GetUtcNow()) + TimeSpan.FromDays(1);
            await _cache.PinAsync(PinSet(workout.Id), keys, until, cancellationToken).ConfigureAwait(false);
        }

        var (downloads, revalidations) = await SortOutCachedAsync(plan.Values, options, results, cancellationToken).ConfigureAwait(false);
        var reason = await FitAsync(downloads, options, results, cancellationToken).ConfigureAwait(false);
        reason ??= await ConsentAsync(downloads, options, results, cancellationToken).ConfigureAwait(false);

        var work = downloads.Concat(revalidations).OrderBy(p => p.NeededAt).ThenBy(p => p.Key.Kind).ToList();
        var tracker = new ProgressTracker(new EventProgress(progress, _events), _time, work);
        tracker.Start();
        using var deadline = new CancellationTokenSource(RemainingTime(options.SyncTimeout, started), _time);
        using (var gate = new NetworkGate(_connectivity, options.Strategy, explicitRequest))
        using (var transfers = new SemaphoreSlim(options.MaxParallelDownloads))
        {
            // MaxParallelDownloads transfers at once, but twice as many files under way: a file whose body is in gives
            // its transfer slot to the next while it is moved into place and indexed.
            await Parallel.ForEachAsync(
                work,
                new ParallelOptions { MaxDegreeOfParallelism = 2 * options.MaxParallelDownloads, CancellationToken = cancellationToken },
                async (item, token) =>
                {
                    var result = await FetchAsync(item, revalidations.Contains(item), gate, transfers, tracker, options, deadline.Token, token).ConfigureAwait(false);
                    results[item.Key] = result;
                    tracker.Finished(item, result.Outcome is SyncItemOutcome.Downloaded or SyncItemOutcome.Cached ? result.Bytes : null);
                    await availability.UpdateAsync(item.WorkoutIds, token).ConfigureAwait(false);
                }).ConfigureAwait(false);
        }

        var items = plan.Values.Select(p => results[p.Key] with { WorkoutIds = p.WorkoutIds })
            .Concat(results.Values.Where(r => !plan.ContainsKey(r.Key)))
            .OrderBy(r => r.Key.ExerciseId, StringComparer.Ordinal).ThenBy(r => r.Key.Kind).ThenBy(r => r.Key.Variant, StringComparer.Ordinal)
            .ToList();

        var states = await FinishAsync(workouts, items, cancellationToken).ConfigureAwait(false);
        if (only is null)
        {
            _lastFailed = items.Where(i => i.Outcome == SyncItemOutcome.Failed).ToList();
        }
        else
        {
            _lastFailed = _lastFailed.Where(f => !items.Any(i => i.Key.ExerciseId == f.Key.ExerciseId && i.Key.Kind == f.Key.Kind && i.Outcome != SyncItemOutcome.Failed))
                .Concat(items.Where(i => i.Outcome == SyncItemOutcome.Failed)).DistinctBy(i => i.Key).ToList();
        }

        var report = Report(started, items, states, reason);
        Log.SyncFinished(_logger, report.Outcome, report.Downloaded, report.Cached, report.Skipped, report.Failed, report.BytesDownloaded, report.Duration.TotalMilliseconds);
        return report;
    }

    /// <summary>Workouts → exercises, de-duplicated → media info → the variants this device should hold.</summary>
    private async Task<Dictionary<MediaKey, PlannedItem>> PlanAsync(
        IReadOnlyList<Workout> workouts,
        HashSet<(string ExerciseId, MediaKind Kind, bool Poster)>? only,
        ConcurrentDictionary<MediaKey, SyncItemResult> results,
        CancellationToken cancellationToken)
    {
        var exercises = new Dictionary<string, (List<string> Workouts, DateTimeOffset NeededAt)>(StringComparer.Ordinal);
        foreach (var workout in workouts)
        {
            foreach (var exercise in workout.Exercises)
            {
                if (!exercises.TryGetValue(exercise.Id, out var uses))
                {
                    uses = ([], workout.ScheduledAt);
                }

                if (!uses.Workouts.Contains(workout.Id))
                {
                    uses.Workouts.Add(workout.Id);
                }

                exercises[exercise.Id] = (uses.Workouts, Min(uses.NeededAt, workout.ScheduledAt));
            }
        }

        var options = _options.CurrentValue;
        var profile = _profiles.GetProfile();
        var preferences = options.ToVariantPreferences();
        var media = new ConcurrentDictionary<string, ExerciseMediaInfo>(StringComparer.Ordinal);
        var failures = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            exercises.Keys.Where(id => only is null || only.Any(o => o.ExerciseId == id)),
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelDownloads, CancellationToken = cancellationToken },
            async (id, token) =>
            {
                try
                {
                    media[id] = await _mediaClient.GetMediaAsync(id, token).ConfigureAwait(false);
                }
                catch (CatalogException ex)
                {
                    failures[id] = ex.Message; // This exercise fails; the others go on.
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    // A host's own media client (GraphQL, a local database) may throw its own exceptions: still one exercise.
                    failures[id] = OfflineMedia.Internal.SafeText.Escape($"The media of exercise '{id}' could not be read: {ex.Message}");
                }
            }).ConfigureAwait(false);

        var plan = new Dictionary<MediaKey, PlannedItem>();
        var unknown = new List<(MediaKey Key, long EstimatedBytes, List<string> Workouts)>();
        foreach (var (exerciseId, uses) in exercises)
        {
            if (failures.TryGetValue(exerciseId, out var failure))
            {
                // Without media info the variants are unknown: report the ones the rules ask for, and keep them in the
                // workouts' saved plan (at typical sizes), so a workout missing them is not shown as available offline.
                var wanted = _selector.SelectForDownload(ExerciseMediaInfo.Empty, profile, preferences);
                foreach (var (kind, choice) in Slots(wanted))
                {
                    if (choice.Requested is { } requested && Wanted(only, exerciseId, kind, requested))
                    {
                        var key = new MediaKey(exerciseId, kind, requested);
                        results[key] = new SyncItemResult { Key = key, Outcome = SyncItemOutcome.Failed, Reason = failure, WorkoutIds = uses.Workouts };
                        unknown.Add((key, TypicalBytes(kind, requested), uses.Workouts));
                    }
                }

                continue;
            }

            if (!media.TryGetValue(exerciseId, out var info))
            {
                continue; // Not part of this retry.
            }

            foreach (var (kind, choice) in Slots(_selector.SelectForDownload(info, profile, preferences)))
            {
                // Not wanted (videos off), or not offered by the API at all: nothing to download, so not planned.
                // The display shows its placeholder; the workout can still be complete.
                if (!choice.HasVariant || !Wanted(only, exerciseId, kind, choice.Requested!))
                {
                    continue;
                }

                var key = new MediaKey(exerciseId, kind, choice.Variant.Name);
                if (!plan.TryGetValue(key, out var item))
                {
                    plan[key] = item = new PlannedItem(key, MediaSource.From(choice.Variant), choice.EstimatedBytes);
                }

                item.WorkoutIds.AddRange(uses.Workouts.Except(item.WorkoutIds));
                item.NeededAt = Min(item.NeededAt, uses.NeededAt);
            }
        }

        foreach (var workout in workouts)
        {
            IEnumerable<(MediaKey Key, long EstimatedBytes)> needs = plan.Values.Where(p => p.WorkoutIds.Contains(workout.Id)).Select(p => (p.Key, p.EstimatedBytes))
                .Concat(unknown.Where(u => u.Workouts.Contains(workout.Id)).Select(u => (u.Key, u.EstimatedBytes)));
            if (only is not null && _state.Value.Find(workout.Id) is { } stored)
            {
                // A retry plans only the slots that failed: the workout's other files stay as planned before.
                needs = stored.Items.Where(i => !Wanted(only, i.Key.ExerciseId, i.Key.Kind, i.Key.Variant)).Concat(needs);
            }

            _state.Value.SavePlan(workout, needs);
        }

        return plan;
    }

    /// <summary>Files cached and current are done; cached but older than the re-sync interval are revalidated; the rest download.</summary>
    private async Task<(List<PlannedItem> Downloads, HashSet<PlannedItem> Revalidations)> SortOutCachedAsync(
        IEnumerable<PlannedItem> plan, OfflineMediaOptions options, ConcurrentDictionary<MediaKey, SyncItemResult> results, CancellationToken cancellationToken)
    {
        var downloads = new List<PlannedItem>();
        var revalidations = new HashSet<PlannedItem>();
        var staleBefore = _time.GetUtcNow() - options.ResyncInterval;
        foreach (var item in plan)
        {
            var cached = await _cache.TryGetAsync(item.Key, cancellationToken).ConfigureAwait(false);
            if (cached is null
                || (item.Source.Sha256 is { } sha && sha != cached.Sha256)
                || (item.Source.ExpectedBytes is { } bytes && bytes != cached.Bytes))
            {
                downloads.Add(item);
            }
            else if (cached.CachedAt < staleBefore && item.Source.Sha256 is null)
            {
                revalidations.Add(item); // No digest to compare: ask the server whether it changed.
            }
            else
            {
                results[item.Key] = Succeeded(item, cached, SyncItemOutcome.Cached);
            }
        }

        return (downloads, revalidations);
    }

    /// <summary>
    /// Compares the plan's estimate with the room there is (free storage beyond the reserve, plus what evicting
    /// unpinned media frees, within the cache limit less pinned media), leaves out what does not fit (latest
    /// workouts first), and evicts to make room for the rest.
    /// </summary>
    private async Task<string?> FitAsync(List<PlannedItem> downloads, OfflineMediaOptions options, ConcurrentDictionary<MediaKey, SyncItemResult> results, CancellationToken cancellationToken)
    {
        var needed = downloads.Sum(d => d.EstimatedBytes);
        if (needed == 0)
        {
            return null;
        }

        var usage = await _cache.GetUsageAsync(cancellationToken).ConfigureAwait(false);
        var free = Math.Max(0, _storage.GetAvailableBytes(options.CacheDirectory) - options.StorageReserveBytes);
        var evictable = usage.TotalBytes - usage.PinnedBytes;
        var room = Math.Min(free + evictable, options.CacheSizeLimitBytes - usage.PinnedBytes);

        string? reason = null;
        if (needed > room)
        {
            var kept = 0L;
            var leftOut = new List<PlannedItem>();
            foreach (var item in downloads.OrderBy(d => d.NeededAt).ThenBy(d => d.Key.Kind == MediaKind.Video))
            {
                if (kept + item.EstimatedBytes <= room)
                {
                    kept += item.EstimatedBytes;
                }
                else
                {
                    leftOut.Add(item);
                }
            }

            reason = $"not enough storage: the sync needs {Mb(needed)} but {Mb(Math.Max(0, room))} is available " +
                     $"({Mb(free)} free beyond the reserve, cache limit {Mb(options.CacheSizeLimitBytes)}); {leftOut.Count} files were left out";
            Log.NotEnoughStorage(_logger, needed, room, leftOut.Count);
            var deviceFree = _storage.GetAvailableBytes(options.CacheDirectory);
            _events.StorageLow(new StorageStatus
            {
                CacheBytes = usage.TotalBytes,
                CacheLimitBytes = options.CacheSizeLimitBytes,
                CachedFiles = usage.Count,
                PinnedBytes = usage.PinnedBytes,
                DeviceFreeBytes = deviceFree,
                IsDeviceStorageLow = deviceFree < options.StorageReserveBytes + DefaultOfflineMediaManager.LowStorageMargin,
            });
            foreach (var item in leftOut)
            {
                downloads.Remove(item);
                results[item.Key] = new SyncItemResult
                {
                    Key = item.Key,
                    Outcome = SyncItemOutcome.Skipped,
                    Reason = "not enough storage for this file",
                    Error = MediaCacheError.InsufficientSpace,
                    Bytes = item.EstimatedBytes,
                };
            }

            needed = kept;
        }

        if (usage.TotalBytes + needed > options.CacheSizeLimitBytes)
        {
            await _cache.TrimAsync(Math.Max(0, options.CacheSizeLimitBytes - needed), cancellationToken).ConfigureAwait(false);
        }

        return reason;
    }

    /// <summary>Before a large download over a metered network, asks the app; declined means left out.</summary>
    private async Task<string?> ConsentAsync(List<PlannedItem> downloads, OfflineMediaOptions options, ConcurrentDictionary<MediaKey, SyncItemResult> results, CancellationToken cancellationToken)
    {
        var needed = downloads.Sum(d => d.EstimatedBytes);
        if (!options.ShowDataUsageWarnings || needed <= options.CellularWarningThresholdBytes || !SyncPolicy.IsMetered(_connectivity.Current))
        {
            return null;
        }

        if (await _consent.ConfirmAsync(new DataUsageRequest(downloads.Count, needed), cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        foreach (var item in downloads)
        {
            results[item.Key] = new SyncItemResult
            {
                Key = item.Key,
                Outcome = SyncItemOutcome.Skipped,
                Reason = "downloading over cellular was not confirmed",
                Bytes = item.EstimatedBytes,
            };
        }

        downloads.Clear();
        return $"downloading {Mb(needed)} over cellular was not confirmed";
    }

    /// <summary>
    /// One file, within the sync's <paramref name="deadline"/>: when it passes, the file is reported failed with that
    /// reason and its partial file stays for the next sync.
    /// </summary>
    private async Task<SyncItemResult> FetchAsync(
        PlannedItem item, bool revalidate, NetworkGate gate, SemaphoreSlim transfers, ProgressTracker tracker, OfflineMediaOptions options,
        CancellationToken deadline, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline);
        try
        {
            return await RetryAsync(item, revalidate, gate, transfers, tracker, options, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var timeout = options.SyncTimeout.GetValueOrDefault();
            Log.SyncTimedOut(_logger, item.Key, timeout);
            return new SyncItemResult
            {
                Key = item.Key,
                Outcome = SyncItemOutcome.Failed,
                Reason = $"the sync reached its time limit (SyncTimeout, {timeout}) before this file was done; what it has is kept and the next sync resumes",
                Bytes = item.EstimatedBytes,
            };
        }
    }

    /// <summary>
    /// One file, with retries: transient failures wait (Retry-After up to MaxRetryAfter, else exponential backoff with
    /// jitter) and try again, the count restarting only when a try moved a real part of the file; losing the allowed
    /// network pauses without spending a try, keeping the partial file to resume. Each try holds one of
    /// <paramref name="transfers"/> until its body is in (or it ends); waiting, paused or backing off, it holds none.
    /// </summary>
    private async Task<SyncItemResult> RetryAsync(
        PlannedItem item, bool revalidate, NetworkGate gate, SemaphoreSlim transfers, ProgressTracker tracker, OfflineMediaOptions options,
        CancellationToken cancellationToken)
    {
        var progress = new MaxProgress(tracker.For(item));
        var attempt = 0;
        var progressBeforeTry = 0L;
        var before = revalidate ? await _cache.TryGetAsync(item.Key, cancellationToken).ConfigureAwait(false) : null;
        while (true)
        {
            if (!gate.IsAllowed)
            {
                tracker.SetPaused(true);
                _events.SetState(SyncState.Paused);
                Log.SyncPaused(_logger, item.Key);
                var back = await gate.WaitAsync(options.SyncPauseTimeout, _time, cancellationToken).ConfigureAwait(false);
                tracker.SetPaused(false);
                _events.SetState(SyncState.Running);
                if (!back)
                {
                    return new SyncItemResult
                    {
                        Key = item.Key,
                        Outcome = SyncItemOutcome.Skipped,
                        Reason = $"the allowed network did not come back within {options.SyncPauseTimeout}; the next sync resumes",
                        Bytes = item.EstimatedBytes,
                    };
                }
            }

            await transfers.WaitAsync(cancellationToken).ConfigureAwait(false);
            var slot = progress.Slot = new TransferSlot(transfers);
            progressBeforeTry = progress.Max;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, gate.Lost);
            try
            {
                var media = revalidate
                    ? await _cache.RevalidateAsync(item.Key, item.Source, progress, linked.Token).ConfigureAwait(false)
                    : await _cache.GetOrDownloadAsync(item.Key, item.Source, progress, linked.Token).ConfigureAwait(false);
                var unchanged = before is not null && SameContent(before, media);
                return Succeeded(item, media, unchanged ? SyncItemOutcome.Cached : SyncItemOutcome.Downloaded);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                continue; // The network went: the partial file stays, and the loop waits for it to return.
            }
            catch (MediaCacheException ex) when (ex.Error == MediaCacheError.Network && !gate.IsAllowed)
            {
                continue; // The drop was the network going away, not a fault of this file.
            }
            catch (MediaCacheException ex)
            {
                slot.Release(); // Not held through the wait before the next try.
                if (progress.Max - progressBeforeTry >= MeaningfulProgress(item))
                {
                    attempt = 0; // A real part of the file moved: the server is not stuck, the count starts again.
                }

                attempt++;
                var tooLate = ex.RetryAfter > options.MaxRetryAfter;
                if (!ex.IsTransient || attempt >= options.MaxDownloadAttempts || tooLate)
                {
                    var reason = tooLate
                        ? $"{ex.Message} The server asked to be tried again in {ex.RetryAfter!.Value.TotalSeconds:0} s (at {(_time.GetUtcNow() + ex.RetryAfter.Value).ToString("u", System.Globalization.CultureInfo.InvariantCulture)}), " +
                          $"longer than a sync waits (MaxRetryAfter, {options.MaxRetryAfter}); the next sync tries again"
                        : ex.Message;
                    Log.ItemFailed(_logger, item.Key, attempt, reason);
                    return new SyncItemResult
                    {
                        Key = item.Key,
                        Outcome = SyncItemOutcome.Failed,
                        Reason = reason,
                        Error = ex.Error,
                        Bytes = item.EstimatedBytes,
                    };
                }

                var delay = ex.RetryAfter ?? Backoff(attempt, options.RetryBaseDelay);
                Log.Retrying(_logger, item.Key, attempt, delay.TotalMilliseconds, ex.Message);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                slot.Release();
            }
        }
    }

    /// <summary>After downloads: workout state, unpinning workouts that are over, and cleanup by budget and age.</summary>
    private async Task<List<WorkoutSyncState>> FinishAsync(IReadOnlyList<Workout> workouts, List<SyncItemResult> items, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var states = new List<WorkoutSyncState>(workouts.Count);
        foreach (var workout in workouts)
        {
            if (_state.Value.Find(workout.Id) is not { } stored)
            {
                continue;
            }

            // Complete only when every file it needs is cached now: a retry covers only the files that failed.
            var state = await StateOfAsync(stored with { LastSynced = now }, cancellationToken).ConfigureAwait(false);
            var own = items.Where(i => i.WorkoutIds.Contains(workout.Id));
            var complete = own.All(i => i.Outcome is SyncItemOutcome.Downloaded or SyncItemOutcome.Cached) && state.Availability == WorkoutAvailability.Full;
            _state.Value.MarkSynced(workout.Id, complete, now);
            states.Add(state);
        }

        // Workouts that are over no longer hold their media; their pins go, and eviction may take them.
        foreach (var id in _state.Value.WorkoutsBefore(now - TimeSpan.FromDays(1)))
        {
            await _cache.UnpinAsync(PinSet(id), null, cancellationToken).ConfigureAwait(false);
            _state.Value.Forget(id);
        }

        await _cache.TrimAsync(_options.CurrentValue.CacheSizeLimitBytes, cancellationToken).ConfigureAwait(false);
        return states;
    }

    private async Task<WorkoutSyncState> StateOfAsync(StoredWorkout stored, CancellationToken cancellationToken)
    {
        int filesCached = 0;
        long bytesCached = 0, bytesMissing = 0;
        foreach (var group in stored.Items.GroupBy(i => i.Key.ExerciseId, StringComparer.Ordinal))
        {
            // Read without touching access times: looking at a badge is not using the media.
            var entries = await _cache.GetEntriesAsync(group.Key, cancellationToken).ConfigureAwait(false);
            foreach (var (key, estimate) in group)
            {
                if (entries.FirstOrDefault(e => e.Key == key) is { } entry)
                {
                    filesCached++;
                    bytesCached += entry.Bytes;
                }
                else
                {
                    bytesMissing += estimate;
                }
            }
        }

        return new WorkoutSyncState
        {
            WorkoutId = stored.Id,
            Name = stored.Name,
            ScheduledAt = stored.ScheduledAt,
            LastSyncedAt = stored.LastSynced,
            FilesPlanned = stored.Items.Count,
            FilesCached = filesCached,
            BytesCached = bytesCached,
            BytesMissing = bytesMissing,
            Availability = filesCached == 0 ? (stored.Items.Count == 0 ? WorkoutAvailability.Full : WorkoutAvailability.None)
                : filesCached == stored.Items.Count ? WorkoutAvailability.Full
                : WorkoutAvailability.Partial,
        };
    }

    private SyncReport Report(DateTimeOffset started, List<SyncItemResult> items, List<WorkoutSyncState> workouts, string? policyReason)
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
            Duration = _time.GetUtcNow() - started,
        };
    }

    private SyncReport Skipped(DateTimeOffset started, string reason)
    {
        Log.SyncSkipped(_logger, reason);
        return new SyncReport { Outcome = SyncOutcome.Skipped, Reason = reason, Items = [], Workouts = [], StartedAt = started, Duration = _time.GetUtcNow() - started };
    }

    private SyncReport Failed(DateTimeOffset started, string reason)
    {
        Log.SyncFailed(_logger, reason);
        return new SyncReport { Outcome = SyncOutcome.Failed, Reason = reason, Items = [], Workouts = [], StartedAt = started, Duration = _time.GetUtcNow() - started };
    }

    /// <summary>
    /// Whether a revalidated file is the one that was cached: the same size and validators, and the same digest
    /// when both have one. A 304 keeps all of them; a changed file has a new validator or size from any
    /// server that sends validators (a server that sends none cannot be asked, so every check downloads).
    /// </summary>
    private static bool SameContent(CachedMedia before, CachedMedia after) =>
        before.Bytes == after.Bytes
        && before.ETag == after.ETag
        && before.LastModified == after.LastModified
        && (before.Sha256 is null || after.Sha256 is null || before.Sha256 == after.Sha256);

    private static SyncItemResult Succeeded(PlannedItem item, CachedMedia media, SyncItemOutcome outcome) => new()
    {
        Key = item.Key,
        Outcome = outcome,
        LocalPath = media.LocalPath,
        Bytes = media.Bytes,
        Sha256 = media.Sha256,
    };

    private static IEnumerable<(MediaKind Kind, VariantChoice Choice)> Slots(MediaSelection selection) =>
        [(MediaKind.Image, selection.Image), (MediaKind.Video, selection.Video), (MediaKind.Image, selection.Poster)];

    private static bool Wanted(HashSet<(string ExerciseId, MediaKind Kind, bool Poster)>? only, string exerciseId, MediaKind kind, string variant) =>
        only is null || only.Contains((exerciseId, kind, variant == MediaVariantNames.Poster));

    /// <summary>The brief's typical size of a variant, for a file whose real size the API could not tell.</summary>
    private static long TypicalBytes(MediaKind kind, string variant) =>
        variant == MediaVariantNames.Poster ? VariantLadder.PosterBytes
        : kind == MediaKind.Image ? (VariantLadder.ImageRank(variant) is >= 0 and var image ? VariantLadder.TypicalImageBytes(image) : 0)
        : VariantLadder.VideoRank(variant) is >= 0 and var video ? VariantLadder.TypicalVideoBytes(video) : 0;

    /// <summary>
    /// How far a try must get to restart the count of tries: an eighth of the file (at least 1 KiB, at most 1 MiB). A
    /// server sending a few more bytes per try never gets there, and one sending an eighth more gets eight restarts at
    /// most, so it cannot keep one file going forever; a flaky network moving real parts of a large file still finishes it.
    /// </summary>
    private static long MeaningfulProgress(PlannedItem item) => Math.Clamp(item.EstimatedBytes / 8, 1024, 1024 * 1024);

    /// <summary>What is left of the sync's time limit, counted from its start; infinite when it has none.</summary>
    private TimeSpan RemainingTime(TimeSpan? syncTimeout, DateTimeOffset started) =>
        syncTimeout is { } timeout ? Max(started + timeout - _time.GetUtcNow(), TimeSpan.Zero) : Timeout.InfiniteTimeSpan;

    /// <summary>Exponential backoff with jitter: base × 2^(attempt−1), scaled by a random 50–100%, at most 30 s.</summary>
    private static TimeSpan Backoff(int attempt, TimeSpan baseDelay)
    {
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var capped = Math.Min(exponential, s_maxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    private static string PinSet(string workoutId) => "workout:" + workoutId;

    private static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:0.0} MB";

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>
    /// Remembers the most bytes a file reached, to tell a try that made progress from one that did not, and gives the
    /// try's transfer slot back as soon as the body is in.
    /// </summary>
    private sealed class MaxProgress(IProgress<long> inner) : IDownloadProgress
    {
        private long _max;

        public long Max => Interlocked.Read(ref _max);

        public TransferSlot? Slot { get; set; }

        public void BodyReceived() => Slot?.Release();

        public void Report(long value)
        {
            long current;
            while (value > (current = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, value, current) != current)
            {
            }

            inner.Report(value);
        }
    }

    /// <summary>One of the sync's transfer slots, given back once: when the body is in, or when the try ends.</summary>
    private sealed class TransferSlot(SemaphoreSlim transfers)
    {
        private int _released;

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                transfers.Release();
            }
        }
    }

    /// <summary>Reports progress to the caller and to the events a UI binds to.</summary>
    private sealed class EventProgress(IProgress<SyncProgress>? caller, OfflineMediaEvents events) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value)
        {
            caller?.Report(value);
            events.Progress(value);
        }
    }

    /// <summary>Raises a workout's availability when it changes during a sync; reads the cache only when someone listens.</summary>
    private sealed class AvailabilityWatch(DefaultSyncScheduler scheduler, IReadOnlyList<Workout> workouts) : IDisposable
    {
        private readonly Dictionary<string, WorkoutAvailability> _known = [];
        private readonly SemaphoreSlim _gate = new(1, 1);

        public async Task UpdateAsync(IEnumerable<string> workoutIds, CancellationToken cancellationToken)
        {
            if (!scheduler._events.WantsAvailability)
            {
                return;
            }

            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                foreach (var id in workoutIds.Where(id => workouts.Any(w => w.Id == id)))
                {
                    if (scheduler._state.Value.Find(id) is not { } stored)
                    {
                        continue;
                    }

                    var state = await scheduler.StateOfAsync(stored, cancellationToken).ConfigureAwait(false);
                    if (!_known.TryGetValue(id, out var known) || known != state.Availability)
                    {
                        _known[id] = state.Availability;
                        scheduler._events.Availability(state);
                    }
                }
            }
            finally
            {
                _gate.Release();
            }
        }

        public void Dispose() => _gate.Dispose();
    }
}
