using Microsoft.Extensions.DependencyInjection;
using OfflineMedia.Catalog;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Catalog;

/// <summary>The default workout catalog against the fake origin over real HTTP.</summary>
public sealed class HttpWorkoutCatalogTests : OriginTestBase
{
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    protected override FakeMediaCatalog CreateCatalog() => FakeMediaCatalog.CreateWeek(_now, scale: 1000)
        .AddWorkout("week 1/day ü", "Unicode Day", _now.AddDays(20), "squat", "unknown-exercise");

    [Fact]
    public async Task GetWorkout_Existing_ParsesItsExercisesInOrder()
    {
        await using var host = new SyncHost(Temp.Path, Origin.BaseAddress);

        var workout = await Catalog(host).GetWorkoutAsync("w-1");

        var expected = Origin.Catalog.GetWorkout("w-1");
        Assert.Equal("w-1", workout.Id);
        Assert.Equal(expected.Name, workout.Name);
        Assert.Equal(expected.ScheduledAt, workout.ScheduledAt);
        Assert.Equal(expected.ExerciseIds, workout.Exercises.Select(e => e.Id));
        Assert.Equal("Squat", workout.Exercises[0].Name);
    }

    [Fact]
    public async Task GetUpcoming_Week_ReturnsTheSixWorkoutsOfTheNextSevenDaysSoonestFirst()
    {
        await using var host = new SyncHost(Temp.Path, Origin.BaseAddress);

        var workouts = await Catalog(host).GetUpcomingAsync(TimeSpan.FromDays(7));

        Assert.Equal(["w-1", "w-2", "w-3", "w-4", "w-5", "w-6"], workouts.Select(w => w.Id));
        Assert.Equal("?days=7", Assert.Single(Origin.Requests.All).Query);
    }

    [Fact]
    public async Task GetWorkout_IdWithSpaceSlashAndUnicode_IsEscapedIntoOneSegment()
    {
        await using var host = new SyncHost(Temp.Path, Origin.BaseAddress);

        var workout = await Catalog(host).GetWorkoutAsync("week 1/day ü");

        Assert.Equal("week 1/day ü", workout.Id);
        Assert.Equal(["squat", "unknown-exercise"], workout.Exercises.Select(e => e.Id));
        Assert.Contains("%2F", Assert.Single(Origin.Requests.All).Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetWorkout_Unknown_IsNotFound()
    {
        await using var host = new SyncHost(Temp.Path, Origin.BaseAddress);

        var error = await Assert.ThrowsAsync<CatalogException>(() => Catalog(host).GetWorkoutAsync("nope"));

        Assert.Equal(CatalogError.NotFound, error.Error);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task GetUpcoming_500_IsHttpStatus()
    {
        Origin.Faults.Set("/api/workouts/upcoming", FakeFault.Status(500));
        await using var host = new SyncHost(Temp.Path, Origin.BaseAddress);

        var error = await Assert.ThrowsAsync<CatalogException>(() => Catalog(host).GetUpcomingAsync(TimeSpan.FromDays(7)));

        Assert.Equal(CatalogError.HttpStatus, error.Error);
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, error.StatusCode);
    }

    [Fact]
    public async Task GetUpcoming_429WithRetryAfter_CarriesTheDelay()
    {
        Origin.Faults.Set("/api/workouts/upcoming", FakeFault.Status(429, TimeSpan.FromSeconds(3)));
        await using var host = new SyncHost(Temp.Path, Origin.BaseAddress);

        var error = await Assert.ThrowsAsync<CatalogException>(() => Catalog(host).GetUpcomingAsync(TimeSpan.FromDays(7)));

        Assert.True(error.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
    }

    [Fact]
    public async Task GetWorkout_ServerTooSlow_TimesOutAsANetworkError()
    {
        Origin.Faults.Set("/api/workouts/w-1", FakeFault.Delay(TimeSpan.FromSeconds(5)));
        var services = new ServiceCollection();
        services.AddOfflineMedia(o =>
            {
                o.ApiBaseAddress = Origin.BaseAddress;
                o.CacheDirectory = Temp.Path;
            })
            .ConfigureApiHttpClient(b => b.ConfigureHttpClient(c => c.Timeout = TimeSpan.FromMilliseconds(200)));
        await using var provider = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<CatalogException>(() => provider.GetRequiredService<IWorkoutCatalog>().GetWorkoutAsync("w-1"));

        Assert.Equal(CatalogError.Network, error.Error);
        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetWorkout_NoApiBaseAddress_IsNotConfigured()
    {
        await using var host = new SyncHost(Temp.Path, apiBaseAddress: null);

        var error = await Assert.ThrowsAsync<CatalogException>(() => Catalog(host).GetWorkoutAsync("w-1"));

        Assert.Equal(CatalogError.NotConfigured, error.Error);
        Assert.Equal(0, Origin.Requests.Count);
    }

    private static IWorkoutCatalog Catalog(SyncHost host) => host.Services.GetRequiredService<IWorkoutCatalog>();
}
