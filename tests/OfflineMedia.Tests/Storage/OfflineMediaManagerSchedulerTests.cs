using System.IO.Abstractions.TestingHelpers;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using OfflineMedia.Cache;
using OfflineMedia.Storage;
using OfflineMedia.Sync;
using OfflineMedia.Testing;

namespace OfflineMedia.Tests.Storage;

/// <summary>An app that replaces <see cref="ISyncScheduler"/> replaces it for the manager too.</summary>
public sealed class OfflineMediaManagerSchedulerTests : IDisposable
{
    private readonly ISyncScheduler _scheduler = Substitute.For<ISyncScheduler>();
    private readonly ServiceProvider _provider;

    public OfflineMediaManagerSchedulerTests()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<System.IO.Abstractions.IFileSystem>(new MockFileSystem());
        services.AddSingleton(Substitute.For<IMediaCache>());
        services.AddOfflineMedia(o => o.CacheDirectory = Path.Combine(Path.GetTempPath(), "offline-media-manager"))
            .UseStorageProbe(FakeStorageProbe.WithGigabytes(100))
            .UseConnectivityProbe(new FakeConnectivityProbe());
        services.AddSingleton(_scheduler); // The app's own scheduler, registered after the SDK's default.
        _provider = services.BuildServiceProvider();
    }

    private IOfflineMediaManager Manager => _provider.GetRequiredService<IOfflineMediaManager>();

    public void Dispose() => _provider.Dispose();

    [Fact]
    public async Task SyncNowAndRetryFailed_GoToTheAppsScheduler()
    {
        var report = new SyncReport { Outcome = SyncOutcome.Complete, Items = [], Workouts = [], StartedAt = DateTimeOffset.UnixEpoch, Duration = TimeSpan.Zero };
        _scheduler.SyncUpcomingAsync(null, Arg.Any<CancellationToken>()).Returns(report);
        _scheduler.RetryFailedAsync(null, Arg.Any<CancellationToken>()).Returns(report);

        Assert.Same(report, await Manager.SyncNowAsync());
        Assert.Same(report, await Manager.RetryFailedAsync());

        await _scheduler.Received(1).SyncUpcomingAsync(null, Arg.Any<CancellationToken>());
        await _scheduler.Received(1).RetryFailedAsync(null, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task GetWorkoutAvailability_APlannedWorkout_IsTheAppsSchedulersState()
    {
        var state = new WorkoutSyncState
        {
            WorkoutId = "w-1",
            Name = "Legs",
            ScheduledAt = DateTimeOffset.UnixEpoch,
            FilesPlanned = 3,
            FilesCached = 3,
            BytesCached = 11_200,
            BytesMissing = 0,
            Availability = WorkoutAvailability.Full,
        };
        _scheduler.GetWorkoutStateAsync("w-1", Arg.Any<CancellationToken>()).Returns(state);

        Assert.Same(state, await Manager.GetWorkoutAvailabilityAsync("w-1"));
    }
}
