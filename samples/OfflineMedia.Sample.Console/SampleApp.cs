using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OfflineMedia.Cache;
using OfflineMedia.Catalog;
using OfflineMedia.Profiles;
using OfflineMedia.Resolution;
using OfflineMedia.Storage;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;
using Spectre.Console;

namespace OfflineMedia.Sample;

/// <summary>
/// The whole story in one run: a fake media origin on 127.0.0.1, a phone on Wi-Fi, a week of workouts synced
/// with live progress, storage and availability, every exercise resolved offline, and a lower cache limit
/// that evicts unpinned media while pinned media stay.
/// </summary>
internal static class SampleApp
{
    /// <summary>Runs the sample; returns the exit code (0 complete, 2 partial, 3 skipped by policy, 1 usage or fatal error).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        // --help or a bad flag ends here, with the help on stdout or one line on stderr.
        if (SampleArguments.Parse(args, stdout, stderr, out var exitCode) is not { } arguments)
        {
            return exitCode;
        }

        // With --json, stdout carries the document alone; the human story goes to stderr.
        var human = arguments.Json ? stderr : stdout;
        var interactive = !arguments.Json && ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(human),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!interactive)
        {
            console.Profile.Width = 160; // Redirected output has no terminal width; keep paths on one line.
        }

        try
        {
            return await new Story(arguments, console, interactive, stdout).RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("Canceled.");
            return 1;
        }
        catch (Exception ex) when (ex is CatalogException or MediaCacheException or OptionsValidationException or IOException or HttpRequestException)
        {
            await stderr.WriteLineAsync($"error: {Printable(ex.Message)}");
            return 1;
        }
    }

    /// <summary>Text from the network (ids, names, reasons) as Spectre markup: brackets escaped, and control characters,
    /// which could move the cursor, clear or retitle the terminal, shown as <c>\uXXXX</c>.</summary>
    private static string Safe(string? text) => Markup.Escape(Printable(text ?? string.Empty));

    /// <summary>Text with its control characters and bidirectional overrides written as <c>\uXXXX</c>.</summary>
    private static string Printable(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsControl(c) || c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'))
            {
                builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>A URL to show: no query (a signed URL's token), fragment or user info (a password).</summary>
    private static string WithoutSecrets(Uri url) =>
        url.IsAbsoluteUri ? url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : url.OriginalString.Split('?', '#')[0];

    private sealed class Story(SampleArguments arguments, IAnsiConsole console, bool interactive, TextWriter stdout)
    {
        private readonly FakeConnectivityProbe _network = new(arguments.Network switch
        {
            "cellular" => FakeConnectivityProbe.Cellular,
            "none" => FakeConnectivityProbe.Offline,
            _ => FakeConnectivityProbe.WiFi,
        });

        public async Task<int> RunAsync(CancellationToken cancellationToken)
        {
            // 1. The media API: an external one, or a fake origin on 127.0.0.1 with a week of workouts.
            await using var origin = arguments.Api is null ? await StartOriginAsync(cancellationToken) : null;
            var api = arguments.Api ?? origin!.BaseAddress;
            var fresh = !File.Exists(Path.Combine(arguments.CacheDirectory, "index.db"));
            Say($"[bold]OfflineMedia sample[/] — media API {Safe(WithoutSecrets(api))}, cache {Safe(arguments.CacheDirectory)}");

            // 2. The host, wired as an app wires it, with fake probes for the device the flags describe.
            await using var services = BuildServices(api);
            var scheduler = services.GetRequiredService<ISyncScheduler>();
            var manager = services.GetRequiredService<IOfflineMediaManager>();
            var profile = services.GetRequiredService<IDeviceProfileProvider>().GetProfile();
            Say($"Device: {profile.Class} ({(profile.ScreenInches is { } inches ? $"{inches:0.0}\"" : "no display")}), " +
                $"{profile.AvailableStorageBytes / 1024.0 / 1024 / 1024:0.#} GB free, network {profile.Connectivity.Access} over {profile.Connectivity.Connections}, " +
                $"strategy {manager.Settings.Strategy}");

            if (fresh && origin is not null && _network.Current.HasInternet)
            {
                // History an app used last week would have: synced then, unpinned once the workout was over.
                var history = await scheduler.SyncWorkoutAsync(HistoryWorkoutId, progress: null, cancellationToken);
                Say($"First run: cached last week's workout first, as a used app would have it ({history.Downloaded} files; no longer pinned).");
            }

            // --play: videos played through the cache before the sync, as a player plays them while they cache.
            var plays = await PlayAsync(services, cancellationToken);

            // 3. Sync the upcoming week, with live progress, then the report.
            Heading("Sync the upcoming week");
            var report = await SyncWithProgressAsync(scheduler, cancellationToken);
            ShowReport(report);

            // 4. Storage against the limit, and each workout's availability.
            Heading("Storage and availability");
            var status = await manager.GetStorageStatusAsync(cancellationToken);
            Say($"Cache: {Mb(status.CacheBytes)} of {Mb(status.CacheLimitBytes)} ({status.CachedFiles} files, {Mb(status.PinnedBytes)} pinned for upcoming workouts); device {Mb(status.DeviceFreeBytes)} free.");
            var workouts = await WorkoutStatesAsync(scheduler, report, cancellationToken);
            ShowWorkouts(workouts);

            // 5. Into the gym: no network. Every exercise's image and video, from the cache or not at all.
            Heading("Offline in the gym");
            _network.Set(FakeConnectivityProbe.Offline);
            var resolution = await ResolveAllAsync(services.GetRequiredService<IMediaSourceResolver>(), report, cancellationToken);
            ShowResolution(resolution);
            _network.Set(arguments.Network switch { "cellular" => FakeConnectivityProbe.Cellular, "none" => FakeConnectivityProbe.Offline, _ => FakeConnectivityProbe.WiFi });

            // 6. A lower cache limit: unpinned media go, least recently used first; pinned media stay.
            Heading("Lower the cache limit");
            var exercises = report.Items.Select(i => i.Key.ExerciseId).Concat(HistoryExerciseIds).Distinct(StringComparer.Ordinal).ToList();
            await LowerLimitAsync(manager, services.GetRequiredService<IMediaCache>(), status, exercises, cancellationToken);

            if (arguments.Json)
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(Document(report, workouts, resolution, plays), SampleJsonContext.Default.SampleDocument));
            }

            return report.Outcome switch
            {
                SyncOutcome.Complete => 0,
                SyncOutcome.Partial => 2,
                SyncOutcome.Skipped => 3,
                _ => 1,
            };
        }

        private const string HistoryWorkoutId = "w-history";

        private static readonly string[] HistoryExerciseIds = ["jump-rope", "battle-ropes"];

        private async Task<FakeMediaOrigin> StartOriginAsync(CancellationToken cancellationToken)
        {
            // A week from now, plus last week's workout with exercises of its own, so eviction has history to take.
            var catalog = FakeMediaCatalog.CreateWeek(DateTimeOffset.UtcNow, arguments.Scale)
                .AddExercise(HistoryExerciseIds[0], "Jump Rope", e => e.AddTypicalVariants(arguments.Scale))
                .AddExercise(HistoryExerciseIds[1], "Battle Ropes", e => e.AddTypicalVariants(arguments.Scale, FakeVariantForm.Rich));
            catalog.AddWorkout(HistoryWorkoutId, "Last Week's Cardio", DateTimeOffset.UtcNow.AddDays(-3), HistoryExerciseIds);
            return await FakeMediaOrigin.StartAsync(catalog, cancellationToken: cancellationToken);
        }

        private ServiceProvider BuildServices(Uri api)
        {
            var services = new ServiceCollection();
            services.AddLogging(logging => logging
                .SetMinimumLevel(LogLevel.Warning)
                .AddSimpleConsole(o => o.SingleLine = true)
                .AddFilter("Microsoft", LogLevel.Warning));
            services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

            services.AddOfflineMedia(o =>
                {
                    o.ApiBaseAddress = api;
                    o.CacheDirectory = arguments.CacheDirectory;
                    o.Strategy = arguments.Strategy;
                    o.PreferredVideoQuality = arguments.VideoQuality;
                    o.DownloadVideos = arguments.DownloadVideos;
                    o.StorageReserveBytes = 0;
                    o.SyncPauseTimeout = TimeSpan.FromSeconds(5);
                })
                .UseDisplayProbe(new FakeDisplayProbe(arguments.Device switch
                {
                    "tablet" => FakeDisplayProbe.Tablet,
                    "desktop" => null,
                    _ => FakeDisplayProbe.Phone,
                }))
                .UseStorageProbe(FakeStorageProbe.WithGigabytes(arguments.FreeStorageGb))
                .UseConnectivityProbe(_network)
                .UseDataUsageConsent(new AcceptingDataUsageConsent(message => Say(Safe(message))));
            return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        }

        private async Task<SyncReport> SyncWithProgressAsync(ISyncScheduler scheduler, CancellationToken cancellationToken)
        {
            if (!interactive)
            {
                // Plain lines when the output is not a terminal: one per finished file.
                var lastFiles = -1;
                var lines = new SynchronousProgress<SyncProgress>(p =>
                {
                    if (p.FilesDone != lastFiles)
                    {
                        lastFiles = p.FilesDone;
                        Say(Safe(ProgressLine(p)));
                    }
                });
                return await scheduler.SyncUpcomingAsync(lines, cancellationToken);
            }

            SyncReport? report = null;
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("Syncing", maxValue: 1);
                    var progress = new SynchronousProgress<SyncProgress>(p =>
                    {
                        task.MaxValue = Math.Max(1, p.BytesTotal);
                        task.Value = p.BytesDone;
                        task.Description = Safe($"{p.FilesDone}/{p.FilesTotal} files{(p.IsPaused ? " (paused)" : string.Empty)} {p.Current?.ToString() ?? string.Empty}");
                    });
                    report = await scheduler.SyncUpcomingAsync(progress, cancellationToken);
                    task.Value = task.MaxValue;
                });
            return report!;
        }

        private void ShowReport(SyncReport report)
        {
            var table = new Table().AddColumns("Exercise", "Kind", "Variant", "Outcome", "Size", "Reason");
            foreach (var item in report.Items)
            {
                table.AddRow(
                    Safe(item.Key.ExerciseId),
                    KindOf(item.Key),
                    Safe(item.Key.Variant),
                    item.Outcome.ToString(),
                    item.Bytes is { } bytes ? Kb(bytes) : "",
                    Safe(item.Reason));
            }

            console.Write(table);
            Say($"[bold]{report.Outcome}[/]: {report.Planned} planned, {report.Downloaded} downloaded ({Mb(report.BytesDownloaded)}), " +
                $"{report.Cached} already cached, {report.Skipped} left out, {report.Failed} failed, in {report.Duration.TotalSeconds:0.0} s." +
                (report.Reason is { } reason ? $" {Safe(reason)}" : ""));
        }

        private static async Task<List<WorkoutSyncState>> WorkoutStatesAsync(ISyncScheduler scheduler, SyncReport report, CancellationToken cancellationToken)
        {
            var states = new List<WorkoutSyncState>();
            foreach (var id in report.Workouts.Select(w => w.WorkoutId))
            {
                if (await scheduler.GetWorkoutStateAsync(id, cancellationToken) is { } state)
                {
                    states.Add(state);
                }
            }

            return states;
        }

        private void ShowWorkouts(List<WorkoutSyncState> workouts)
        {
            var table = new Table().AddColumns("Workout", "When", "Available offline", "Files", "Cached", "Still needed");
            foreach (var w in workouts.OrderBy(w => w.ScheduledAt))
            {
                table.AddRow(Safe($"{w.WorkoutId} {w.Name}"), w.ScheduledAt.ToLocalTime().ToString("ddd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                    w.Availability.ToString(), $"{w.FilesCached}/{w.FilesPlanned}", Mb(w.BytesCached), Mb(w.BytesMissing));
            }

            console.Write(table);
        }

        private static async Task<List<ResolvedMedia>> ResolveAllAsync(IMediaSourceResolver resolver, SyncReport report, CancellationToken cancellationToken)
        {
            var exercises = report.Items.Select(i => i.Key.ExerciseId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            var resolved = new List<ResolvedMedia>();
            foreach (var exercise in exercises)
            {
                resolved.Add(await resolver.ResolveAsync(exercise, MediaKind.Image, cancellationToken));
                resolved.Add(await resolver.ResolveAsync(exercise, MediaKind.Video, cancellationToken));
            }

            return resolved;
        }

        private void ShowResolution(List<ResolvedMedia> resolution)
        {
            var table = new Table().AddColumns("Exercise", "Kind", "Shown from", "Variant", "Path or reason");
            foreach (var r in resolution)
            {
                table.AddRow(Safe(r.ExerciseId), r.Kind == MediaKind.Image ? "image" : "video", r.Source.ToString(), Safe(r.Variant),
                    Safe(r.LocalPath ?? (r.RemoteUrl is { } url ? WithoutSecrets(url) : r.Reason)));
            }

            console.Write(table);
            Say($"{resolution.Count(r => r.Source == MediaSourceKind.Local)} of {resolution.Count} shown from the cache with no network.");
        }

        private async Task LowerLimitAsync(
            IOfflineMediaManager manager, IMediaCache cache, StorageStatus before, List<string> exercises, CancellationToken cancellationToken)
        {
            const long SmallestLimit = 1024 * 1024;
            var unpinned = before.CacheBytes - before.PinnedBytes;
            var limit = arguments.LimitMb is { } mb ? mb * 1024 * 1024 : Math.Max(SmallestLimit, before.CacheBytes - (unpinned / 2));
            if (arguments.LimitMb is null)
            {
                if (unpinned == 0)
                {
                    Say("Nothing to evict: every cached file is pinned for an upcoming workout.");
                    return;
                }

                if (limit >= before.CacheBytes)
                {
                    Say($"The cache ({Mb(before.CacheBytes)}) is under the smallest limit ({Mb(SmallestLimit)}): nothing to evict. Try a smaller --scale.");
                    return;
                }
            }

            var beforeKeys = await CachedKeysAsync(cache, exercises, cancellationToken);
            await manager.UpdateSettingsAsync(manager.Settings with { CacheSizeLimitBytes = limit }, cancellationToken);
            var after = await manager.GetStorageStatusAsync(cancellationToken);
            var evicted = beforeKeys.Except(await CachedKeysAsync(cache, exercises, cancellationToken)).ToList();

            Say($"Limit lowered to {Mb(limit)} (saved for next time): {evicted.Count} files evicted, {Mb(before.CacheBytes - after.CacheBytes)} freed; " +
                $"cache now {Mb(after.CacheBytes)}, pinned {Mb(after.PinnedBytes)} (was {Mb(before.PinnedBytes)}) — pinned media stayed.");
            foreach (var key in evicted)
            {
                Say($"  evicted {Safe(key.ToString())}");
            }

            if (after.CacheBytes > limit)
            {
                Say("Pinned media alone exceed the new limit; they stay until their workouts are over.");
            }
        }

        private static async Task<HashSet<MediaKey>> CachedKeysAsync(IMediaCache cache, List<string> exercises, CancellationToken cancellationToken)
        {
            var keys = new HashSet<MediaKey>();
            foreach (var exercise in exercises)
            {
                foreach (var entry in await cache.GetEntriesAsync(exercise, cancellationToken))
                {
                    keys.Add(entry.Key);
                }
            }

            return keys;
        }

        private async Task<List<SamplePlay>> PlayAsync(ServiceProvider services, CancellationToken cancellationToken)
        {
            var plays = new List<SamplePlay>();
            if (arguments.Play.Count == 0)
            {
                return plays;
            }

            Heading("Play while caching");
            var player = new SamplePlayer(
                services.GetRequiredService<IMediaSourceResolver>(), services.GetRequiredService<Playback.IMediaStreams>(), services.GetRequiredService<IMediaCache>());
            foreach (var exerciseId in arguments.Play)
            {
                var play = await player.PlayAsync(exerciseId, cancellationToken);
                plays.Add(play);
                Say(Safe($"Played {play.ExerciseId} {play.Variant ?? "(no video)"}: {Kb(play.Bytes)} from {play.Source ?? "nowhere"}" +
                    (play.Sha256 is { } sha ? $", sha256 {sha[..16]}…" : "") + $", cached after: {(play.CachedAfter ? "yes" : "no")}" +
                    (play.Reason is { } reason ? $"; stopped: {reason}" : ".")));
            }

            return plays;
        }

        private SampleDocument Document(SyncReport report, List<WorkoutSyncState> workouts, List<ResolvedMedia> resolution, List<SamplePlay> plays) => new(
            Outcome: report.Outcome.ToString().ToLowerInvariant(),
            Reason: report.Reason,
            CacheDirectory: arguments.CacheDirectory,
            Items: report.Items.Select(i => new SampleItem(
                i.Key.ExerciseId, KindOf(i.Key), i.Key.Variant, i.Outcome switch
                {
                    SyncItemOutcome.Downloaded => "downloaded",
                    SyncItemOutcome.Cached => "cached",
                    SyncItemOutcome.Skipped => "skipped",
                    _ => "failed",
                },
                i.Reason, i.LocalPath, i.Bytes, i.Sha256)).ToList(),
            Totals: new SampleTotals(report.Planned, report.Downloaded, report.Cached, report.Skipped, report.Failed, report.BytesDownloaded),
            Workouts: workouts.Select(w => new SampleWorkout(w.WorkoutId, w.Availability.ToString().ToLowerInvariant())).ToList(),
            Resolution: resolution.Select(r => new SampleResolution(
                r.ExerciseId, r.Kind == MediaKind.Image ? "image" : "video", r.Source.ToString().ToLowerInvariant(), r.LocalPath, r.RemoteUrl is { } url ? WithoutSecrets(url) : null, r.Reason)).ToList(),
            Play: plays);

        private void Heading(string text) => console.Write(new Rule($"[bold]{Safe(text)}[/]").LeftJustified());

        private void Say(string markup) => console.MarkupLine(markup);

        private static string ProgressLine(SyncProgress p) =>
            $"{p.FilesDone}/{p.FilesTotal} files, {Mb(p.BytesDone)} of {Mb(p.BytesTotal)}, {p.BytesPerSecond / 1024 / 1024:0.0} MB/s" +
            (p.IsPaused ? ", paused" : "") + (p.Current is { } key ? $", {key}" : "");

        private static string KindOf(MediaKey key) => key.Kind == MediaKind.Image ? "image" : "video";

        private static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:0.0} MB";

        private static string Kb(long bytes) => $"{bytes / 1024.0:0} KB";

        private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
        {
            public void Report(T value) => report(value);
        }
    }
}
