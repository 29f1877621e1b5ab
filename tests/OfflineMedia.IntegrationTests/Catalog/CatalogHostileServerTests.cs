using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OfflineMedia.Catalog;
using OfflineMedia.IntegrationTests.Infrastructure;

namespace OfflineMedia.IntegrationTests.Catalog;

/// <summary>
/// The default catalog against a server that misbehaves on purpose over real HTTP: every answer ends within
/// <c>ApiRequestTimeout</c>, body included, and a redirect anywhere but http or https is refused with a
/// <see cref="CatalogException"/>, never followed or thrown as something else.
/// </summary>
public sealed class CatalogHostileServerTests : TempFolderTestBase
{
    /// <summary>Bounds every call: the code before these deadlines hung (or took half a minute), and a test must fail, not hang.</summary>
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(15);

    private const string WorkoutJson = """{ "id": "w-1", "name": "Leg Day", "scheduledAt": "2026-03-02T08:00:00Z", "exercises": [ { "id": "squat" } ] }""";

    [Fact]
    public async Task GetWorkout_BodyTrickledAfterTheHeaders_TimesOutAsANetworkError()
    {
        await using var server = await HostileServer.StartAsync(async (context, self) =>
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = 10_000;
            await self.TrickleAsync(context, TimeSpan.FromMilliseconds(100));
        });
        await using var host = CreateHost(server);

        var error = await Assert.ThrowsAsync<CatalogException>(() => Catalog(host).GetWorkoutAsync("w-1").WaitAsync(s_bound));

        Assert.Equal(CatalogError.Network, error.Error);
        Assert.Contains("timed out: no complete answer within 1 s (ApiRequestTimeout)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetWorkout_HeadersNeverSent_TimesOutWithinApiRequestTimeout()
    {
        await using var server = await HostileServer.StartAsync((context, self) => self.HangAsync(context));
        await using var host = CreateHost(server);

        var error = await Assert.ThrowsAsync<CatalogException>(() => Catalog(host).GetWorkoutAsync("w-1").WaitAsync(s_bound));

        Assert.Equal(CatalogError.Network, error.Error);
        Assert.Contains("ApiRequestTimeout", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file:///etc/passwd", "file")]
    [InlineData("file://localhost/etc/passwd", "file")]
    [InlineData("data:application/json,{}", "data")]
    [InlineData("ftp://127.0.0.1:{port}/api/workouts/w-1?served=1", "ftp")]
    public async Task GetWorkout_RedirectToANonHttpUrl_IsRefusedWithTheReasonAndNotFollowed(string location, string scheme)
    {
        // The same server answers the workout at the redirect's path: following an ftp URL as plain HTTP would succeed.
        await using var server = await HostileServer.StartAsync((context, self) =>
        {
            if (context.Request.Query.ContainsKey("served"))
            {
                return HostileServer.JsonAsync(context, WorkoutJson);
            }

            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = location.Replace("{port}", self.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            return Task.CompletedTask;
        });
        await using var host = CreateHost(server);

        var error = await Assert.ThrowsAsync<CatalogException>(() => Catalog(host).GetWorkoutAsync("w-1").WaitAsync(s_bound));

        Assert.Equal(CatalogError.InvalidResponse, error.Error);
        Assert.False(error.IsTransient);
        Assert.Contains($"a redirect led to a {scheme} URL; only http and https are fetched", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task GetMedia_RedirectToAFileUrl_IsRefusedLikeTheWorkoutRoutes()
    {
        await using var server = await HostileServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
            context.Response.Headers.Location = "file:///etc/passwd";
            return Task.CompletedTask;
        });
        await using var host = CreateHost(server);

        var error = await Assert.ThrowsAsync<CatalogException>(
            () => host.Services.GetRequiredService<IExerciseMediaClient>().GetMediaAsync("squat").WaitAsync(s_bound));

        Assert.Equal(CatalogError.InvalidResponse, error.Error);
        Assert.Contains("the media of exercise 'squat'", error.Message, StringComparison.Ordinal);
        Assert.Contains("a redirect led to a file URL", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5, true)]
    [InlineData(6, false)]
    public async Task GetWorkout_RedirectChain_IsFollowedUpToFiveHops(int hops, bool followed)
    {
        await using var server = await HostileServer.StartAsync((context, _) =>
        {
            var hop = int.Parse(context.Request.Query["hop"].FirstOrDefault() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            if (hop == hops)
            {
                return HostileServer.JsonAsync(context, WorkoutJson);
            }

            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = $"/api/workouts/w-1?hop={hop + 1}";
            return Task.CompletedTask;
        });
        await using var host = CreateHost(server);

        if (followed)
        {
            var workout = await Catalog(host).GetWorkoutAsync("w-1").WaitAsync(s_bound);
            Assert.Equal("Leg Day", workout.Name);
        }
        else
        {
            var error = await Assert.ThrowsAsync<CatalogException>(() => Catalog(host).GetWorkoutAsync("w-1").WaitAsync(s_bound));
            Assert.Contains("redirected more than 5 times", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(Math.Min(hops, 5) + 1, server.Requests.Count);
    }

    private SyncHost CreateHost(HostileServer server) =>
        new(Temp.Path, server.BaseAddress, o => o.ApiRequestTimeout = TimeSpan.FromSeconds(1));

    private static IWorkoutCatalog Catalog(SyncHost host) => host.Services.GetRequiredService<IWorkoutCatalog>();
}
