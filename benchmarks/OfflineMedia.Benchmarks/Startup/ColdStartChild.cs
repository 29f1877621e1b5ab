using System.Diagnostics;
using System.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OfflineMedia.Cache;
using OfflineMedia.Resolution;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.Benchmarks.Startup;

/// <summary>
/// A child of <see cref="ColdStartRun"/>: a console app's generic host (<c>Host.CreateApplicationBuilder</c>) built and
/// started, then, by <c>--mode</c>, nothing more (<c>bare</c>: no SDK; <c>sdk</c>: with <c>AddOfflineMedia</c>), or the
/// first lookup of a file the cache holds: <c>resolve</c> through <see cref="IMediaSourceResolver"/> (a phone, offline, as in
/// the gym), <c>tryget</c> through <see cref="IMediaCache.TryGetAsync"/>, both at once after the start; <c>resolve-later</c>
/// <see cref="ScreenDelayMs"/> after it, as an app's first screen would. <c>provider-later</c> and <c>provider-warm-later</c>
/// build a service provider and start no host, as a MAUI app does (its "host built" and "started" are the provider built),
/// and resolve that long after, the second having called <c>WarmUpOfflineMedia</c>. Reports, in milliseconds from the parent's start
/// request: Main entered, host built, host started, first local path; the first lookup's own time, and the JIT's time and
/// methods during it; and a second lookup (another exercise) on its own.
/// </summary>
internal static class ColdStartChild
{
    /// <summary>How long after the host started <c>resolve-later</c> looks up: a first screen's build, roughly.</summary>
    public const int ScreenDelayMs = 250;

    public static async Task<int> RunAsync(ChildArguments args, long entered)
    {
        var launched = args.Long("launched");
        var mode = args["mode"];
        var exerciseId = args["exercise"]; // Of the filled cache: all eight variants cached.
        var mainMs = ChildProcess.MillisecondsSince(launched) - ChildProcess.MillisecondsSince(entered);

        if (mode.StartsWith("provider", StringComparison.Ordinal))
        {
            return await RunWithoutHostAsync(args, mode, launched, mainMs).ConfigureAwait(false);
        }

        var builder = Host.CreateApplicationBuilder();
        if (mode != "bare")
        {
            AddSdk(builder.Services, args["dir"]);
        }

        var host = builder.Build();
        var builtMs = ChildProcess.MillisecondsSince(launched);
        await host.StartAsync().ConfigureAwait(false);
        var startedMs = ChildProcess.MillisecondsSince(launched);

        if (mode == "resolve-later")
        {
            // An app's first screen: built for a while after the host started, then its first image looked up.
            await Task.Delay(ScreenDelayMs).ConfigureAwait(false);
        }

        var lookups = await TimeLookupsAsync(host.Services, mode, exerciseId, args["second"], launched).ConfigureAwait(false);

        await host.StopAsync().ConfigureAwait(false);
        await ((IAsyncDisposable)host).DisposeAsync().ConfigureAwait(false);
        Report(mainMs, builtMs, startedMs, lookups);
        return 0;
    }

    /// <summary>A MAUI app's start: the services built, no host started; the warm-up only if the app calls it.</summary>
    private static async Task<int> RunWithoutHostAsync(ChildArguments args, string mode, long launched, double mainMs)
    {
        var services = new ServiceCollection().AddLogging();
        AddSdk(services, args["dir"]);
        var provider = services.BuildServiceProvider();
        await using (provider.ConfigureAwait(false))
        {
            var builtMs = ChildProcess.MillisecondsSince(launched);
            if (mode == "provider-warm-later")
            {
                provider.WarmUpOfflineMedia();
            }

            await Task.Delay(ScreenDelayMs).ConfigureAwait(false);
            Report(mainMs, builtMs, builtMs, await TimeLookupsAsync(provider, "resolve", args["exercise"], args["second"], launched).ConfigureAwait(false));
        }

        return 0;
    }

    /// <summary>The first lookup, with the JIT's work during it; then another exercise, once compiled and open: a warm lookup.</summary>
    private static async Task<Lookups> TimeLookupsAsync(IServiceProvider services, string mode, string exerciseId, string secondExerciseId, long launched)
    {
        var (jitMs, jitMethods) = (JitInfo.GetCompilationTime().TotalMilliseconds, JitInfo.GetCompiledMethodCount());
        var lookupStarted = Stopwatch.GetTimestamp();
        await LookUpAsync(services, mode, exerciseId).ConfigureAwait(false);
        var firstMs = ChildProcess.MillisecondsSince(launched);
        var lookupMs = ChildProcess.MillisecondsSince(lookupStarted);
        (jitMs, jitMethods) = (JitInfo.GetCompilationTime().TotalMilliseconds - jitMs, JitInfo.GetCompiledMethodCount() - jitMethods);

        var second = Stopwatch.GetTimestamp();
        await LookUpAsync(services, mode, secondExerciseId).ConfigureAwait(false);
        return new Lookups(firstMs, lookupMs, jitMs, jitMethods, ChildProcess.MillisecondsSince(second));
    }

    private static void Report(double mainMs, double builtMs, double startedMs, Lookups lookups) =>
        ChildProcess.Report(
            ("main", mainMs), ("built", builtMs), ("started", startedMs), ("first", lookups.FirstMs), ("lookup", lookups.LookupMs),
            ("first_jit_ms", lookups.JitMs), ("first_jit_methods", lookups.JitMethods), ("second", lookups.SecondMs));

    private static void AddSdk(IServiceCollection services, string directory) =>
        services.AddOfflineMedia(o =>
            {
                o.ApiBaseAddress = new Uri("http://127.0.0.1:9/");
                o.CacheDirectory = directory;
            })
            .UseDisplayProbe(new FakeDisplayProbe(FakeDisplayProbe.Phone))
            .UseStorageProbe(FakeStorageProbe.WithGigabytes(100))
            .UseConnectivityProbe(new FakeConnectivityProbe(FakeConnectivityProbe.Offline));

    private static async Task LookUpAsync(IServiceProvider services, string mode, string exerciseId)
    {
        var path = mode switch
        {
            "resolve" or "resolve-later" => (await services.GetRequiredService<IMediaSourceResolver>().ResolveAsync(exerciseId, MediaKind.Image).ConfigureAwait(false)).LocalPath,
            "tryget" => (await services.GetRequiredService<IMediaCache>().TryGetAsync(new MediaKey(exerciseId, MediaKind.Image, "medium")).ConfigureAwait(false))?.LocalPath,
            _ => "",
        };
        if (string.IsNullOrEmpty(path) && mode is "resolve" or "resolve-later" or "tryget")
        {
            throw new InvalidOperationException($"The cached image of {exerciseId} did not resolve to a local path.");
        }
    }

    private readonly record struct Lookups(double FirstMs, double LookupMs, double JitMs, double JitMethods, double SecondMs);
}
