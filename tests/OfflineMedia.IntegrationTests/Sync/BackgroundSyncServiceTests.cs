using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Sync;

/// <summary>The opt-in in-process loop, in a real generic host: a scheduled sync at start and whenever Wi-Fi comes (back).</summary>
public sealed class BackgroundSyncServiceTests : OriginTestBase
{
    protected override FakeMediaCatalog CreateCatalog() => new FakeMediaCatalog()
        .AddPhoneExercise("squat")
        .AddPhoneExercise("lunge")
        .AddWorkout("w-1", "Legs", DateTimeOffset.UtcNow.AddHours(2), "squat", "lunge");

    [Fact]
    public async Task EnableBackgroundSync_HostStartsOnWiFi_SyncsTheUpcomingWorkoutsWithoutBeingAsked()
    {
        var network = new FakeConnectivityProbe(FakeConnectivityProbe.WiFi);
        using var host = BuildHost(network);

        await host.StartAsync();
        var scheduler = host.Services.GetRequiredService<ISyncScheduler>();
        await WaitForAvailabilityAsync(scheduler, "w-1", WorkoutAvailability.Full);
        await host.StopAsync();

        Assert.Equal(1, Origin.Requests.CountRequests("/api/workouts/upcoming"));
        Assert.Equal(6, Origin.Requests.MediaRequests().Count);
    }

    [Fact]
    public async Task EnableBackgroundSync_WiFiArrivesAfterStartOnCellular_SyncsWhenTheProbeReportsWiFi()
    {
        var network = new FakeConnectivityProbe(FakeConnectivityProbe.Cellular);
        using var host = BuildHost(network);
        var scheduler = host.Services.GetRequiredService<ISyncScheduler>();

        await host.StartAsync();
        await Task.Delay(300);
        Assert.Equal(0, Origin.Requests.Count); // Wi-Fi only: the sync at start is not allowed on cellular.
        Assert.Null(await scheduler.GetWorkoutStateAsync("w-1"));

        network.Set(FakeConnectivityProbe.WiFi);
        await WaitForAvailabilityAsync(scheduler, "w-1", WorkoutAvailability.Full);

        // A workout added later is picked up the next time Wi-Fi comes back, not an hour later.
        Origin.Catalog.AddPhoneExercise("plank").AddWorkout("w-2", "Core", DateTimeOffset.UtcNow.AddDays(1), "plank");
        network.Set(FakeConnectivityProbe.Offline);
        network.Set(FakeConnectivityProbe.WiFi);
        await WaitForAvailabilityAsync(scheduler, "w-2", WorkoutAvailability.Full);
        await host.StopAsync();

        Assert.Equal(9, Origin.Requests.MediaRequests().Count);
        Assert.All(Origin.Requests.MediaRequests().GroupBy(r => r.Path), g => Assert.Single(g));
    }

    [Fact]
    public async Task EnableBackgroundSync_CatalogUnreachable_TheLoopSurvivesAndSyncsWhenTheNetworkChanges()
    {
        var network = new FakeConnectivityProbe(FakeConnectivityProbe.WiFi);
        Origin.Faults.Set("/api/workouts/upcoming", FakeFault.Status(503, times: 1));
        using var host = BuildHost(network);
        var scheduler = host.Services.GetRequiredService<ISyncScheduler>();

        await host.StartAsync();
        await CacheFolder.WaitUntilAsync(() => Origin.Requests.CountRequests("/api/workouts/upcoming") == 1, "the first scheduled sync asks for the workouts");
        network.Set(FakeConnectivityProbe.Offline);
        network.Set(FakeConnectivityProbe.WiFi);
        await WaitForAvailabilityAsync(scheduler, "w-1", WorkoutAvailability.Full);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddOfflineMedia_WithoutEnableBackgroundSync_NothingSyncsOnItsOwn()
    {
        var network = new FakeConnectivityProbe(FakeConnectivityProbe.WiFi);
        using var host = BuildHost(network, background: false);

        await host.StartAsync();
        network.Set(FakeConnectivityProbe.Offline);
        network.Set(FakeConnectivityProbe.WiFi);
        await Task.Delay(300);
        await host.StopAsync();

        Assert.Equal(0, Origin.Requests.Count);
    }

    private static async Task WaitForAvailabilityAsync(ISyncScheduler scheduler, string workoutId, WorkoutAvailability availability)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while ((await scheduler.GetWorkoutStateAsync(workoutId))?.Availability != availability)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{workoutId} did not become {availability}");
            await Task.Delay(20);
        }
    }

    private IHost BuildHost(FakeConnectivityProbe network, bool background = true)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        var media = builder.Services.AddOfflineMedia(o =>
            {
                o.ApiBaseAddress = Origin.BaseAddress;
                o.CacheDirectory = Root;
                o.StorageReserveBytes = 0;
                o.Strategy = SyncStrategy.WiFiOnly;
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
                o.BackgroundSyncJitter = TimeSpan.Zero; // At once: these tests are about what triggers a sync, not when.
            })
            .UseConnectivityProbe(network)
            .UseStorageProbe(FakeStorageProbe.WithGigabytes(100))
            .UseDisplayProbe(new FakeDisplayProbe(FakeDisplayProbe.Phone));
        if (background)
        {
            media.EnableBackgroundSync();
        }

        return builder.Build();
    }
}
