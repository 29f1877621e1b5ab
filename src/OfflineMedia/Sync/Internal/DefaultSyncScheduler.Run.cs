using System.Collections.Concurrent;
using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;
using OfflineMedia.Catalog;
using OfflineMedia.Diagnostics;
using OfflineMedia.Internal;
using OfflineMedia.Profiles;
using OfflineMedia.Storage;
using OfflineMedia.Storage.Internal;
using OfflineMedia.Variants;
using OfflineMedia.Variants.Internal;

namespace OfflineMedia.Sync.Internal;

internal sealed partial class DefaultSyncScheduler
{
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_pinMargin = TimeSpan.FromDays(1);

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
        workouts = DistinctById(workouts);
        var plan = await PlanAsync(workouts, only, results, cancellationToken).ConfigureAwait(false);
        var availability = new AvailabilityWatch(this, plan);
        await availability.StartAsync(workouts, cancellationToken).ConfigureAwait(false);

        // Pinned before anything downloads, so eviction to make room never takes what this sync wants.
        var now = _time.GetUtcNow();
        foreach (var workout in workouts)
        {
            if (plan.PinsOf(workout.Id) is { Count: > 0 } keys)
            {
                await _cache.PinAsync(PinSet(workout.Id), keys, PinnedUntil(workout.ScheduledAt, now), cancellationToken).ConfigureAwait(false);
            }
        }

        var (downloads, revalidations) = await SortOutCachedAsync(plan.Items.Values, options, results, cancellationToken).ConfigureAwait(false);
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
                    availability.Finished(item, result);
                }).ConfigureAwait(false);
        }

        var items = plan.Items.Values.Select(p => results[p.Key] with { WorkoutIds = p.WorkoutIds })
            .Concat(results.Values.Where(r => !plan.Items.ContainsKey(r.Key)))
            .OrderBy(r => r.Key.ExerciseId, StringComparer.Ordinal).ThenBy(r => r.Key.Kind).ThenBy(r => r.Key.Variant, StringComparer.Ordinal)
            .ToList();

        var states = await FinishAsync(workouts, plan, items, cancellationToken).ConfigureAwait(false);
        var failed = items.Where(i => i.Outcome == SyncItemOutcome.Failed);
        if (only is null)
        {
            _lastFailed = failed.ToList();
        }
        else
        {
            // A retry keeps what it did not cover; a slot it got in (or left out) is no longer failed.
            var settled = items.Where(i => i.Outcome != SyncItemOutcome.Failed).Select(i => (i.Key.ExerciseId, i.Key.Kind)).ToHashSet();
            _lastFailed = _lastFailed.Where(f => !settled.Contains((f.Key.ExerciseId, f.Key.Kind))).Concat(failed).DistinctBy(i => i.Key).ToList();
        }

        var report = Report(started, items, states, reason);
        Log.SyncFinished(_logger, report.Outcome, report.Downloaded, report.Cached, report.Skipped, report.Failed, report.BytesDownloaded, report.Duration.TotalMilliseconds);
        return report;
    }

    /// <summary>
    /// Workouts → exercises, de-duplicated → media info → the variants this device should hold. Every step is a pass
    /// over the workouts or the exercises with lookups, never a scan per workout: a catalog may list thousands.
    /// </summary>
    private async Task<SyncPlan> PlanAsync(
        IReadOnlyList<Workout> workouts,
        HashSet<(string ExerciseId, MediaKind Kind, bool Poster)>? only,
        ConcurrentDictionary<MediaKey, SyncItemResult> results,
        CancellationToken cancellationToken)
    {
        var planning = _time.GetTimestamp();
        var exercises = new Dictionary<string, (List<string> Workouts, DateTimeOffset NeededAt)>(StringComparer.Ordinal);
        foreach (var workout in workouts)
        {
            foreach (var exercise in workout.Exercises)
            {
                // A host's own catalog may hand over a null id: that exercise fails below, not the whole sync.
                var exerciseId = exercise?.Id ?? string.Empty;
                if (!exercises.TryGetValue(exerciseId, out var uses))
                {
                    uses = ([], workout.ScheduledAt);
                }

                // Workouts are distinct and their exercises come together: a repeat is always the last one added.
                if (uses.Workouts.Count == 0 || !string.Equals(uses.Workouts[^1], workout.Id, StringComparison.Ordinal))
                {
                    uses.Workouts.Add(workout.Id);
                }

                exercises[exerciseId] = (uses.Workouts, Min(uses.NeededAt, workout.ScheduledAt));
            }
        }

        var options = _options.CurrentValue;
        var profile = _profiles.GetProfile();
        var preferences = options.ToVariantPreferences();
        var media = new ConcurrentDictionary<string, ExerciseMediaInfo>(StringComparer.Ordinal);
        var failures = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in exercises.Keys)
        {
            if (MediaIds.Problem(id) is { } problem)
            {
                // A host's catalog listed an id no file can be keyed by: that exercise fails, the others go on.
                var reason = $"The exercise id '{MediaIds.Describe(id)}' cannot be cached: {problem}.";
                Log.ExerciseIdRefused(_logger, MediaIds.Describe(id), problem);
                failures[id] = reason;
            }
        }

        var onlyExercises = only?.Select(o => o.ExerciseId).ToHashSet(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            exercises.Keys.Where(id => !failures.ContainsKey(id) && (onlyExercises is null || onlyExercises.Contains(id))),
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

        var plan = new SyncPlan();
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
                        foreach (var workoutId in uses.Workouts)
                        {
                            Needs(workoutId).Add((key, TypicalBytes(kind, requested)));
                        }
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

                // A key belongs to one exercise, so it is new here unless two slots chose the same variant.
                var key = new MediaKey(exerciseId, kind, choice.Variant.Name);
                if (plan.Items.ContainsKey(key))
                {
                    continue;
                }

                var item = plan.Items[key] = new PlannedItem(key, MediaSource.From(choice.Variant), choice.EstimatedBytes) { NeededAt = uses.NeededAt };
                item.WorkoutIds.AddRange(uses.Workouts);
                foreach (var workoutId in uses.Workouts)
                {
                    Needs(workoutId).Add((key, item.EstimatedBytes));
                    if (!plan.Pins.TryGetValue(workoutId, out var pins))
                    {
                        plan.Pins[workoutId] = pins = [];
                    }

                    pins.Add(key);
                }
            }
        }

        if (only is not null)
        {
            foreach (var workout in workouts)
            {
                if (State.Find(workout.Id) is { } stored)
                {
                    // A retry plans only the slots that failed: the workout's other files stay as planned before.
                    plan.Needs[workout.Id] = [.. stored.Items.Where(i => !Wanted(only, i.Key.ExerciseId, i.Key.Kind, i.Key.Variant)), .. plan.NeedsOf(workout.Id)];
                }
            }
        }

        var planned = _time.GetElapsedTime(planning);
        State.SavePlans(workouts.Select(w => (w, (IEnumerable<(MediaKey, long)>)plan.NeedsOf(w.Id))));
        Log.Planned(_logger, plan.Items.Count, workouts.Count, exercises.Count, planned.TotalMilliseconds, (_time.GetElapsedTime(planning) - planned).TotalMilliseconds);
        return plan;

        List<(MediaKey Key, long EstimatedBytes)> Needs(string workoutId)
        {
            if (!plan.Needs.TryGetValue(workoutId, out var needs))
            {
                plan.Needs[workoutId] = needs = [];
            }

            return needs;
        }
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
            var removed = leftOut.ToHashSet();
            downloads.RemoveAll(removed.Contains);
            foreach (var item in leftOut)
            {
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
    private async Task<List<WorkoutSyncState>> FinishAsync(IReadOnlyList<Workout> workouts, SyncPlan plan, List<SyncItemResult> items, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();

        // One pass over the files for the workouts missing one, and one cache read per exercise: not one per workout.
        var incomplete = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items.Where(i => i.Outcome is not (SyncItemOutcome.Downloaded or SyncItemOutcome.Cached)))
        {
            incomplete.UnionWith(item.WorkoutIds);
        }

        var cached = await CachedAsync(workouts.SelectMany(w => plan.NeedsOf(w.Id)), cancellationToken).ConfigureAwait(false);
        var states = new List<WorkoutSyncState>(workouts.Count);
        var synced = new List<(string WorkoutId, bool Complete)>(workouts.Count);
        foreach (var workout in workouts)
        {
            // Complete only when every file it needs is cached now: a retry covers only the files that failed.
            var state = StateOf(workout.Id, workout.Name, AsStored(workout.ScheduledAt), now, plan.NeedsOf(workout.Id), cached);
            synced.Add((workout.Id, !incomplete.Contains(workout.Id) && state.Availability == WorkoutAvailability.Full));
            states.Add(state);
        }

        State.MarkSynced(synced, now);

        // Workouts that are over no longer hold their media; their pins go, and eviction may take them.
        var over = State.WorkoutsBefore(now - TimeSpan.FromDays(1));
        foreach (var id in over)
        {
            await _cache.UnpinAsync(PinSet(id), null, cancellationToken).ConfigureAwait(false);
        }

        State.Forget(over);
        await _cache.TrimAsync(_options.CurrentValue.CacheSizeLimitBytes, cancellationToken).ConfigureAwait(false);
        return states;
    }

    private async Task<WorkoutSyncState> StateOfAsync(StoredWorkout stored, CancellationToken cancellationToken)
    {
        var cached = await CachedAsync(stored.Items, cancellationToken).ConfigureAwait(false);
        return StateOf(stored.Id, stored.Name, stored.ScheduledAt, stored.LastSynced, stored.Items, cached);
    }

    /// <summary>
    /// The cached size of each of <paramref name="needs"/> that is cached now, read once per exercise and without
    /// touching access times: looking at a badge is not using the media.
    /// </summary>
    private async Task<Dictionary<MediaKey, long>> CachedAsync(IEnumerable<(MediaKey Key, long EstimatedBytes)> needs, CancellationToken cancellationToken)
    {
        var cached = new Dictionary<MediaKey, long>();
        var wanted = needs.Select(n => n.Key).ToHashSet();
        foreach (var exerciseId in wanted.Select(k => k.ExerciseId).Distinct(StringComparer.Ordinal))
        {
            if (MediaIds.Problem(exerciseId) is not null)
            {
                continue; // Nothing can be cached under it.
            }

            foreach (var entry in await _cache.GetEntriesAsync(exerciseId, cancellationToken).ConfigureAwait(false))
            {
                if (wanted.Contains(entry.Key))
                {
                    cached[entry.Key] = entry.Bytes;
                }
            }
        }

        return cached;
    }

    private static WorkoutSyncState StateOf(
        string id, string name, DateTimeOffset scheduledAt, DateTimeOffset? lastSynced,
        IReadOnlyList<(MediaKey Key, long EstimatedBytes)> needs, Dictionary<MediaKey, long> cached)
    {
        int filesCached = 0;
        long bytesCached = 0, bytesMissing = 0;
        foreach (var (key, estimate) in needs)
        {
            if (cached.TryGetValue(key, out var bytes))
            {
                filesCached++;
                bytesCached += bytes;
            }
            else
            {
                bytesMissing += estimate;
            }
        }

        return new WorkoutSyncState
        {
            WorkoutId = id,
            Name = name,
            ScheduledAt = scheduledAt,
            LastSyncedAt = lastSynced,
            FilesPlanned = needs.Count,
            FilesCached = filesCached,
            BytesCached = bytesCached,
            BytesMissing = bytesMissing,
            Availability = filesCached == 0 ? (needs.Count == 0 ? WorkoutAvailability.Full : WorkoutAvailability.None)
                : filesCached == needs.Count ? WorkoutAvailability.Full
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

    /// <summary>The typical size of a variant, for a file whose real size the API could not tell.</summary>
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

    /// <summary>
    /// A day after the workout (or now, when it is past), never past <see cref="DateTimeOffset.MaxValue"/>: a server
    /// may schedule a workout on 9999-12-31, and a date plus a day must not throw there.
    /// </summary>
    private static DateTimeOffset PinnedUntil(DateTimeOffset scheduledAt, DateTimeOffset now)
    {
        var from = Max(scheduledAt, now);
        return from > DateTimeOffset.MaxValue - s_pinMargin ? DateTimeOffset.MaxValue : from + s_pinMargin;
    }

    /// <summary>A workout's date as the state store keeps it (UTC, whole milliseconds), so a state reads the same before and after a restart.</summary>
    private static DateTimeOffset AsStored(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());

    /// <summary>Each workout once, the first listing of an id winning: a catalog may repeat one.</summary>
    private static IReadOnlyList<Workout> DistinctById(IReadOnlyList<Workout> workouts)
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

    /// <summary>
    /// Raises a workout's availability when it changes during a sync; reads the cache only when someone listens, once
    /// per exercise at the start, then follows the files as they finish: a file shared by thousands of workouts
    /// updates each in memory, without reading the cache again.
    /// </summary>
    private sealed class AvailabilityWatch(DefaultSyncScheduler scheduler, SyncPlan plan)
    {
        private readonly Dictionary<string, (Workout Workout, DateTimeOffset? LastSynced, WorkoutAvailability Known)> _workouts = new(StringComparer.Ordinal);
        private readonly object _gate = new();
        private Dictionary<MediaKey, long>? _cached;

        public async Task StartAsync(IReadOnlyList<Workout> workouts, CancellationToken cancellationToken)
        {
            if (!scheduler._events.WantsAvailability)
            {
                return;
            }

            var cached = await scheduler.CachedAsync(workouts.SelectMany(w => plan.NeedsOf(w.Id)), cancellationToken).ConfigureAwait(false);
            var lastSyncs = scheduler.State.LastSyncs();
            lock (_gate)
            {
                _cached = cached;
                foreach (var workout in workouts)
                {
                    var state = StateOf(workout, lastSyncs.TryGetValue(workout.Id, out var last) ? last.LastSynced : null);
                    _workouts[workout.Id] = (workout, state.LastSyncedAt, state.Availability);
                    scheduler._events.Availability(state);
                }
            }
        }

        public void Finished(PlannedItem item, SyncItemResult result)
        {
            lock (_gate)
            {
                if (_cached is null)
                {
                    return;
                }

                if (result.Outcome is not (SyncItemOutcome.Downloaded or SyncItemOutcome.Cached))
                {
                    return; // Nothing new in the cache (a failed revalidation keeps the file it had).
                }

                _cached[item.Key] = result.Bytes ?? item.EstimatedBytes;

                foreach (var id in item.WorkoutIds)
                {
                    if (_workouts.TryGetValue(id, out var known))
                    {
                        var state = StateOf(known.Workout, known.LastSynced);
                        if (state.Availability != known.Known)
                        {
                            _workouts[id] = known with { Known = state.Availability };
                            scheduler._events.Availability(state);
                        }
                    }
                }
            }
        }

        private WorkoutSyncState StateOf(Workout workout, DateTimeOffset? lastSynced) =>
            DefaultSyncScheduler.StateOf(workout.Id, workout.Name, AsStored(workout.ScheduledAt), lastSynced, plan.NeedsOf(workout.Id), _cached!);
    }
}
