using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;
using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;
using OfflineMedia.Catalog;
using OfflineMedia.Diagnostics;
using OfflineMedia.Profiles;
using OfflineMedia.Storage.Internal;
using OfflineMedia.Sync;
using OfflineMedia.Sync.Internal;
using OfflineMedia.Variants.Internal;

namespace OfflineMedia.Tests.Sync;

/// <summary>The sync's parts composed as the SDK composes them, over the collaborators a test fakes.</summary>
internal sealed class SyncParts : IDisposable
{
    private readonly Microsoft.Extensions.DependencyInjection.ServiceProvider _metrics =
        Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(
            Microsoft.Extensions.DependencyInjection.MetricsServiceExtensions.AddMetrics(new Microsoft.Extensions.DependencyInjection.ServiceCollection()));

    private readonly string _directory;

    public SyncParts(
        OfflineMediaOptions options,
        IMediaCache cache,
        IConnectivityProbe network,
        IStorageProbe storage,
        IWorkoutCatalog? catalog = null,
        IExerciseMediaClient? mediaClient = null,
        IMediaDownloads? downloads = null,
        IDataUsageConsent? consent = null,
        TimeProvider? time = null,
        DownloadRetryOptions? retry = null)
    {
        _directory = options.CacheDirectory;
        time ??= TimeProvider.System;
        Options = Substitute.For<IOptionsMonitor<OfflineMediaOptions>>();
        Options.CurrentValue.Returns(options);
        var profiles = Substitute.For<IDeviceProfileProvider>();
        profiles.GetProfile().Returns(_ => new DeviceProfile(DeviceClass.Phone, 6.1, storage.GetAvailableBytes(options.CacheDirectory), network.Current));
        catalog ??= Substitute.For<IWorkoutCatalog>();
        var telemetry = new OfflineMediaTelemetry(
            Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(_metrics));

        State = new SyncStateKeeper(cache, Options, time, NullLogger<SyncStateKeeper>.Instance);
        Planner = new SyncPlanner(catalog, mediaClient ?? Substitute.For<IExerciseMediaClient>(), new DefaultVariantSelector(), profiles, State, Options, time, NullLogger<SyncPlanner>.Instance);
        Budget = new StorageBudget(cache, storage, Options);
        Fitter = new PlanFitter(cache, Budget, consent ?? new DeclineDataUsageConsent(), network, Events, time, NullLogger<PlanFitter>.Instance);
        Fetcher = new ItemFetcher(
            cache, downloads ?? MediaCacheDownloads.For(cache), network, Events, Microsoft.Extensions.Options.Options.Create(retry ?? new DownloadRetryOptions()), time,
            NullLogger<ItemFetcher>.Instance);
        Runner = new SyncRunner(Planner, Fitter, Fetcher, State, Events, telemetry, time, NullLogger<SyncRunner>.Instance);
        Scheduler = new DefaultSyncScheduler(catalog, Runner, State, network, Options, time, NullLogger<DefaultSyncScheduler>.Instance);
    }

    public IOptionsMonitor<OfflineMediaOptions> Options { get; }

    public OfflineMediaEvents Events { get; } = new();

    public SyncStateKeeper State { get; }

    public SyncPlanner Planner { get; }

    public StorageBudget Budget { get; }

    public PlanFitter Fitter { get; }

    public ItemFetcher Fetcher { get; }

    public SyncRunner Runner { get; }

    public DefaultSyncScheduler Scheduler { get; }

    private static readonly string s_folders = Path.Combine(Path.GetTempPath(), "offline-media-unit");

    /// <summary>A new folder of a test's own for the options' <c>CacheDirectory</c>; the parts delete it when disposed.</summary>
    public static string NewFolder() => Path.Combine(s_folders, Guid.NewGuid().ToString("N"));

    /// <summary>Closes the parts, then deletes their cache folder if it is one of <see cref="NewFolder"/>'s, and only then.</summary>
    public void Dispose()
    {
        Scheduler.Dispose();
        State.Dispose();
        _metrics.Dispose();
        if (!_directory.StartsWith(s_folders + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still open by a failing test; the temp folder is cleaned by the system.
        }
    }
}
