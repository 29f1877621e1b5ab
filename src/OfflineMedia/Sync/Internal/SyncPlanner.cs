using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OfflineMedia.Cache;
using OfflineMedia.Catalog;
using OfflineMedia.Diagnostics;
using OfflineMedia.Internal;
using OfflineMedia.Profiles;
using OfflineMedia.Variants;
using OfflineMedia.Variants.Internal;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// Workouts → exercises, de-duplicated → media info → the variants this device should hold: one
/// <see cref="PlannedItem"/> per file, each workout's files saved in <c>sync.db</c>. Every step is a pass over the
/// workouts or the exercises with lookups, never a scan per workout: a catalog may list tens of thousands.
/// </summary>
internal sealed class SyncPlanner(
    IWorkoutCatalog catalog,
    IExerciseMediaClient mediaClient,
    IVariantSelector selector,
    IDeviceProfileProvider profiles,
    SyncStateKeeper state,
    IOptionsMonitor<OfflineMediaOptions> options,
    TimeProvider time,
    ILogger<SyncPlanner> logger)
{
    /// <summary>Plans a workout without downloading anything, so its missing bytes are known before a sync.</summary>
    public async Task<WorkoutSyncState> PlanWorkoutAsync(string workoutId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(workoutId);
        var workout = await catalog.GetWorkoutAsync(workoutId, cancellationToken).ConfigureAwait(false);
        await PlanAsync([workout], only: null, options.CurrentValue, cancellationToken).ConfigureAwait(false);
        return (await state.GetWorkoutStateAsync(workoutId, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Plans <paramref name="workouts"/> (distinct) and saves each one's files; when <paramref name="only"/> is set,
    /// only those (exercise, kind, is-poster) slots: a retry of what failed, the workouts' other files staying as saved.
    /// <paramref name="planned"/>, when set, is given each exercise's files as soon as its media info is read, before the
    /// rest of the plan is: what a <see cref="HeadStart"/> may start downloading.
    /// </summary>
    public async Task<SyncPlan> PlanAsync(
        IReadOnlyList<Workout> workouts,
        HashSet<(string ExerciseId, MediaKind Kind, bool Poster)>? only,
        OfflineMediaOptions current,
        CancellationToken cancellationToken,
        Func<IReadOnlyList<PlannedItem>, CancellationToken, ValueTask>? planned = null)
    {
        var planning = time.GetTimestamp();
        var exercises = ExercisesOf(workouts);
        var profile = profiles.GetProfile();
        var preferences = current.ToVariantPreferences();
        var (itemsOf, failures) = await ReadMediaAsync(
            exercises, only, current.MaxParallelDownloads, (id, info) => ItemsOf(id, exercises[id], only, selector.SelectForDownload(info, profile, preferences)), planned, cancellationToken)
            .ConfigureAwait(false);

        var plan = new SyncPlan();
        foreach (var (exerciseId, uses) in exercises)
        {
            if (failures.TryGetValue(exerciseId, out var failure))
            {
                AddFailed(plan, exerciseId, uses, failure, only, selector.SelectForDownload(ExerciseMediaInfo.Empty, profile, preferences));
            }
            else if (itemsOf.TryGetValue(exerciseId, out var items))
            {
                Add(plan, uses, items);
            }

            // Otherwise not part of this retry.
        }

        if (only is not null)
        {
            KeepUnretried(plan, workouts, only);
        }

        var read = time.GetElapsedTime(planning);
        state.Store.SavePlans(workouts.Select(w => (w, (IEnumerable<(MediaKey, long)>)plan.NeedsOf(w.Id))));
        Log.Planned(logger, plan.Items.Count, workouts.Count, exercises.Count, read.TotalMilliseconds, (time.GetElapsedTime(planning) - read).TotalMilliseconds);
        return plan;
    }

    /// <summary>
    /// What the files of <paramref name="workouts"/> would take at the typical size of each variant this device asks for,
    /// known before any media info is read: whether a <see cref="HeadStart"/> can be sure of its room.
    /// </summary>
    public long TypicalBytes(IReadOnlyList<Workout> workouts, OfflineMediaOptions current)
    {
        var wanted = selector.SelectForDownload(ExerciseMediaInfo.Empty, profiles.GetProfile(), current.ToVariantPreferences());
        var perExercise = Slots(wanted).Sum(slot => slot.Choice.Requested is { } requested ? TypicalBytes(slot.Kind, requested) : 0);
        var exercises = new HashSet<string>(StringComparer.Ordinal);
        foreach (var workout in workouts)
        {
            foreach (var exercise in workout.Exercises)
            {
                exercises.Add(exercise?.Id ?? string.Empty);
            }
        }

        return perExercise * exercises.Count;
    }

    /// <summary>Each exercise once, with the workouts that use it (in order) and the soonest of them.</summary>
    internal static Dictionary<string, ExerciseUses> ExercisesOf(IReadOnlyList<Workout> workouts)
    {
        var exercises = new Dictionary<string, ExerciseUses>(StringComparer.Ordinal);
        foreach (var workout in workouts)
        {
            foreach (var exercise in workout.Exercises)
            {
                // A host's own catalog may hand over a null id: that exercise fails later, not the whole sync.
                var exerciseId = exercise?.Id ?? string.Empty;
                if (!exercises.TryGetValue(exerciseId, out var uses))
                {
                    exercises[exerciseId] = uses = new ExerciseUses(workout.ScheduledAt);
                }

                // Workouts are distinct and their exercises come together: a repeat is always the last one added.
                if (uses.Workouts.Count == 0 || !string.Equals(uses.Workouts[^1], workout.Id, StringComparison.Ordinal))
                {
                    uses.Workouts.Add(workout.Id);
                }

                if (workout.ScheduledAt < uses.NeededAt)
                {
                    uses.NeededAt = workout.ScheduledAt;
                }
            }
        }

        return exercises;
    }

    /// <summary>The typical size of a variant, for a file whose real size the API could not tell.</summary>
    internal static long TypicalBytes(MediaKind kind, string variant) =>
        variant == MediaVariantNames.Poster ? VariantLadder.PosterBytes
        : kind == MediaKind.Image ? (VariantLadder.ImageRank(variant) is >= 0 and var image ? VariantLadder.TypicalImageBytes(image) : 0)
        : VariantLadder.VideoRank(variant) is >= 0 and var video ? VariantLadder.TypicalVideoBytes(video) : 0;

    /// <summary>
    /// Reads each exercise's media info, in parallel, and turns it into the exercise's files (<paramref name="itemsOf"/>),
    /// handed to <paramref name="planned"/> at once. An id no file can be keyed by, or whose info fails (whatever the
    /// client throws), fails that exercise alone, with its reason.
    /// </summary>
    private async Task<(ConcurrentDictionary<string, List<PlannedItem>> Items, ConcurrentDictionary<string, string> Failures)> ReadMediaAsync(
        Dictionary<string, ExerciseUses> exercises,
        HashSet<(string ExerciseId, MediaKind Kind, bool Poster)>? only,
        int parallel,
        Func<string, ExerciseMediaInfo, List<PlannedItem>> itemsOf,
        Func<IReadOnlyList<PlannedItem>, CancellationToken, ValueTask>? planned,
        CancellationToken cancellationToken)
    {
        var items = new ConcurrentDictionary<string, List<PlannedItem>>(StringComparer.Ordinal);
        var failures = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var onlyExercises = only?.Select(o => o.ExerciseId).ToHashSet(StringComparer.Ordinal);
        var toRead = new List<string>();

        // The soonest workouts' exercises first: what starts downloading while the plan is read is what is needed first.
        foreach (var id in exercises.OrderBy(e => e.Value.NeededAt).Select(e => e.Key))
        {
            if (MediaIds.Problem(id) is { } problem)
            {
                Log.ExerciseIdRefused(logger, MediaIds.Describe(id), problem);
                failures[id] = $"The exercise id '{MediaIds.Describe(id)}' cannot be cached: {problem}.";
            }
            else if (onlyExercises is null || onlyExercises.Contains(id))
            {
                toRead.Add(id);
            }
        }

        await Parallel.ForEachAsync(
            toRead,
            new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken },
            async (id, token) =>
            {
                ExerciseMediaInfo info;
                try
                {
                    info = await mediaClient.GetMediaAsync(id, token).ConfigureAwait(false);
                }
                catch (CatalogException ex)
                {
                    failures[id] = ex.Message; // This exercise fails; the others go on.
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    // A host's own media client (GraphQL, a local database) may throw its own exceptions: still one exercise.
                    failures[id] = SafeText.Escape($"The media of exercise '{id}' could not be read: {ex.Message}");
                    return;
                }

                var files = items[id] = itemsOf(id, info);
                if (planned is not null && files.Count > 0)
                {
                    await planned(files, token).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);

        return (items, failures);
    }

    /// <summary>
    /// Without media info the variants are unknown: reports the ones the rules ask for as failed, and keeps them in the
    /// workouts' saved plan (at typical sizes), so a workout missing them is not shown as available offline.
    /// </summary>
    private static void AddFailed(
        SyncPlan plan, string exerciseId, ExerciseUses uses, string failure, HashSet<(string ExerciseId, MediaKind Kind, bool Poster)>? only, MediaSelection wanted)
    {
        foreach (var (kind, choice) in Slots(wanted))
        {
            if (choice.Requested is { } requested && Wanted(only, exerciseId, kind, requested))
            {
                var key = new MediaKey(exerciseId, kind, requested);
                plan.Failed[key] = new SyncItemResult { Key = key, Outcome = SyncItemOutcome.Failed, Reason = failure, WorkoutIds = uses.Workouts };
                foreach (var workoutId in uses.Workouts)
                {
                    plan.NeedsFor(workoutId).Add((key, TypicalBytes(kind, requested)));
                }
            }
        }
    }

    /// <summary>One exercise's files: one per slot the rules fill, a variant two slots chose counted once.</summary>
    private static List<PlannedItem> ItemsOf(
        string exerciseId, ExerciseUses uses, HashSet<(string ExerciseId, MediaKind Kind, bool Poster)>? only, MediaSelection selection)
    {
        var items = new List<PlannedItem>(3);
        foreach (var (kind, choice) in Slots(selection))
        {
            // Not wanted (videos off), or not offered by the API at all: nothing to download, so not planned.
            // The display shows its placeholder; the workout can still be complete.
            if (!choice.HasVariant || !Wanted(only, exerciseId, kind, choice.Requested!))
            {
                continue;
            }

            // A key belongs to one exercise, so it is new here unless two slots chose the same variant.
            var key = new MediaKey(exerciseId, kind, choice.Variant.Name);
            if (items.Exists(i => i.Key == key))
            {
                continue;
            }

            var item = new PlannedItem(key, MediaSource.From(choice.Variant), choice.EstimatedBytes) { NeededAt = uses.NeededAt };
            item.WorkoutIds.AddRange(uses.Workouts);
            items.Add(item);
        }

        return items;
    }

    private static void Add(SyncPlan plan, ExerciseUses uses, List<PlannedItem> items)
    {
        foreach (var item in items)
        {
            plan.Items[item.Key] = item;
            foreach (var workoutId in uses.Workouts)
            {
                plan.NeedsFor(workoutId).Add((item.Key, item.EstimatedBytes));
                plan.PinsFor(workoutId).Add(item.Key);
            }
        }
    }

    /// <summary>A retry plans only the slots that failed: each workout's other files stay as planned before.</summary>
    private void KeepUnretried(SyncPlan plan, IReadOnlyList<Workout> workouts, HashSet<(string ExerciseId, MediaKind Kind, bool Poster)> only)
    {
        foreach (var workout in workouts)
        {
            if (state.Store.Find(workout.Id) is { } stored)
            {
                plan.Needs[workout.Id] = [.. stored.Items.Where(i => !Wanted(only, i.Key.ExerciseId, i.Key.Kind, i.Key.Variant)), .. plan.NeedsOf(workout.Id)];
            }
        }
    }

    private static IEnumerable<(MediaKind Kind, VariantChoice Choice)> Slots(MediaSelection selection) =>
        [(MediaKind.Image, selection.Image), (MediaKind.Video, selection.Video), (MediaKind.Image, selection.Poster)];

    private static bool Wanted(HashSet<(string ExerciseId, MediaKind Kind, bool Poster)>? only, string exerciseId, MediaKind kind, string variant) =>
        only is null || only.Contains((exerciseId, kind, variant == MediaVariantNames.Poster));

    /// <summary>The workouts that use one exercise, in order, and the soonest of them: what is left out for lack of room goes latest first.</summary>
    internal sealed class ExerciseUses(DateTimeOffset neededAt)
    {
        public List<string> Workouts { get; } = [];

        public DateTimeOffset NeededAt { get; set; } = neededAt;
    }
}
