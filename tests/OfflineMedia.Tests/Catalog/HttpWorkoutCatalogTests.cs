using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using OfflineMedia.Catalog;

namespace OfflineMedia.Tests.Catalog;

/// <summary>The default workout catalog against a stub server: the contract's shape, hostile answers, statuses and routes.</summary>
public sealed class HttpWorkoutCatalogTests
{
    [Fact]
    public async Task GetWorkout_ContractShape_ParsesEveryField()
    {
        using var api = StubApi.Json("""
            { "id": "w-1", "name": "Leg Day", "scheduledAt": "2026-03-02T08:00:00Z",
              "exercises": [ { "id": "squat", "name": "Squat" }, { "id": "lunge" } ], "coach": "ignored" }
            """);

        var workout = await api.Catalog.GetWorkoutAsync("w-1");

        Assert.Equal("w-1", workout.Id);
        Assert.Equal("Leg Day", workout.Name);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero), workout.ScheduledAt);
        Assert.Equal([new WorkoutExercise("squat", "Squat"), new WorkoutExercise("lunge", "lunge")], workout.Exercises);
        Assert.Equal("https://api.test/api/workouts/w-1", Assert.Single(api.Requests).AbsoluteUri);
    }

    [Fact]
    public async Task GetWorkout_NoNameNoExercises_FallsBackToTheIdAndNone()
    {
        using var api = StubApi.Json("""{ "id": "w-1", "scheduledAt": "2026-03-02T08:00:00+02:00" }""");

        var workout = await api.Catalog.GetWorkoutAsync("w-1");

        Assert.Equal("w-1", workout.Name);
        Assert.Empty(workout.Exercises);
        Assert.Equal(TimeSpan.FromHours(2), workout.ScheduledAt.Offset);
    }

    [Theory]
    [InlineData("""{ "name": "x", "scheduledAt": "2026-03-02T08:00:00Z" }""", "has no id")]
    [InlineData("""{ "id": " ", "scheduledAt": "2026-03-02T08:00:00Z" }""", "has no id")]
    [InlineData("""{ "id": "w-1" }""", "workout 'w-1' has no scheduledAt")]
    [InlineData("""{ "id": "w-1", "scheduledAt": null }""", "has no scheduledAt")]
    [InlineData("""{ "id": "w-1", "scheduledAt": "2026-03-02T08:00:00Z", "exercises": [ { "name": "Squat" } ] }""", "lists an exercise without an id")]
    [InlineData("""{ "id": "w-1", "scheduledAt": "2026-03-02T08:00:00Z", "exercises": [ null ] }""", "lists an exercise without an id")]
    [InlineData("""{ "id": "w-1", "scheduledAt": "2026-03-02T08:00:00Z", "exercises": [ { "id": "" } ] }""", "lists an exercise without an id")]
    [InlineData("""{ "id": "w-1", "scheduledAt": "tomorrow" }""", "$.scheduledAt")]
    [InlineData("""{ "id": 7, "scheduledAt": "2026-03-02T08:00:00Z" }""", "$.id")]
    [InlineData("""{ "id": "w-1", "scheduledAt": "2026-03-02T08:00:00Z", "exercises": "squat" }""", "$.exercises")]
    [InlineData("""{ "id": "w-1", "scheduledAt": "2026-03-02T08:00:00Z", "exercises": [ "squat" ] }""", "$.exercises")]
    [InlineData("""[ { "id": "w-1" } ]""", "not valid JSON")]
    [InlineData("""{ "id": "w-1", "scheduledAt": "2026-03-02T08""", "not valid JSON")]
    [InlineData("null", "it is null")]
    public async Task GetWorkout_MalformedAnswer_IsAnInvalidResponseWithAClearReason(string json, string reason)
    {
        using var api = StubApi.Json(json);

        var error = await Assert.ThrowsAsync<CatalogException>(() => api.Catalog.GetWorkoutAsync("w-1"));

        Assert.Equal(CatalogError.InvalidResponse, error.Error);
        Assert.Contains("workout 'w-1'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task GetUpcoming_ListOutOfOrder_IsSortedSoonestFirstAndAsksForTheWindowInDays()
    {
        using var api = StubApi.Json("""
            [ { "id": "late", "scheduledAt": "2026-03-05T08:00:00Z" },
              { "id": "soon", "scheduledAt": "2026-03-02T08:00:00Z" },
              { "id": "mid", "scheduledAt": "2026-03-03T08:00:00Z", "exercises": [ { "id": "squat" } ] } ]
            """);

        var workouts = await api.Catalog.GetUpcomingAsync(TimeSpan.FromDays(7));

        Assert.Equal(["soon", "mid", "late"], workouts.Select(w => w.Id));
        Assert.Equal("https://api.test/api/workouts/upcoming?days=7", Assert.Single(api.Requests).AbsoluteUri);
    }

    [Theory]
    [InlineData(36, 2)]
    [InlineData(1, 1)]
    [InlineData(24 * 90, 90)]
    public async Task GetUpcoming_Window_IsRoundedUpToWholeDays(int hours, int days)
    {
        using var api = StubApi.Json("[]");

        var workouts = await api.Catalog.GetUpcomingAsync(TimeSpan.FromHours(hours));

        Assert.Empty(workouts);
        Assert.EndsWith($"?days={days}", Assert.Single(api.Requests).AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetUpcoming_NonPositiveWindow_Throws()
    {
        using var api = StubApi.Json("[]");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => api.Catalog.GetUpcomingAsync(TimeSpan.Zero));
        Assert.Empty(api.Requests);
    }

    [Theory]
    [InlineData("""{ "workouts": [] }""", "not valid JSON")]
    [InlineData("""[ 1, 2 """, "not valid JSON")]
    [InlineData("""null""", "it is null")]
    public async Task GetUpcoming_MalformedDocument_IsAnInvalidResponse(string json, string reason)
    {
        using var api = StubApi.Json(json);

        var error = await Assert.ThrowsAsync<CatalogException>(() => api.Catalog.GetUpcomingAsync(TimeSpan.FromDays(7)));

        Assert.Equal(CatalogError.InvalidResponse, error.Error);
        Assert.Contains("the upcoming workouts", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[ { "id": "w-1", "scheduledAt": "2026-03-02T08:00:00Z" }, null ]""")]
    [InlineData("""[ { "id": "w-1", "scheduledAt": "2026-03-02T08:00:00Z" }, { "id": "w-2" } ]""")]
    [InlineData("""[ 1, { "id": "w-1", "scheduledAt": "2026-03-02T08:00:00Z" } ]""")]
    [InlineData("""[ { "id": "w-1", "scheduledAt": "2026-03-02T08:00:00Z" }, { "id": "w-3", "scheduledAt": "soon" } ]""")]
    [InlineData("""[ { "id": "w-1", "scheduledAt": "2026-03-02T08:00:00Z" }, { "id": "w-4", "scheduledAt": "2026-03-02T08:00:00Z", "exercises": [ { "name": "no id" } ] } ]""")]
    public async Task GetUpcoming_OneMalformedEntry_IsLeftOutAndTheOthersReturned(string json)
    {
        using var api = StubApi.Json(json);

        var upcoming = await api.Catalog.GetUpcomingAsync(TimeSpan.FromDays(7));

        Assert.Equal("w-1", Assert.Single(upcoming).Id);
    }

    [Fact]
    public async Task GetWorkout_IdWithSpacesSlashesAndUnicode_IsOneEscapedPathSegment()
    {
        using var api = StubApi.Json("""{ "id": "week 1/day ü", "scheduledAt": "2026-03-02T08:00:00Z" }""");

        var workout = await api.Catalog.GetWorkoutAsync("week 1/day ü");

        Assert.Equal("week 1/day ü", workout.Id);
        Assert.Equal("https://api.test/api/workouts/week%201%2Fday%20%C3%BC", Assert.Single(api.Requests).AbsoluteUri);
    }

    [Fact]
    public async Task GetWorkout_IdThatLooksLikeAPathTraversal_StaysInItsSegment()
    {
        using var api = StubApi.Json("""{ "id": "x", "scheduledAt": "2026-03-02T08:00:00Z" }""");

        await api.Catalog.GetWorkoutAsync("../../admin");

        Assert.Equal("https://api.test/api/workouts/..%2F..%2Fadmin", Assert.Single(api.Requests).AbsoluteUri);
    }

    [Theory]
    [InlineData("https://api.test/v2", "https://api.test/v2/api/workouts/w-1")]
    [InlineData("https://api.test/v2/", "https://api.test/v2/api/workouts/w-1")]
    [InlineData("http://10.0.2.2:5000", "http://10.0.2.2:5000/api/workouts/w-1")]
    public async Task GetWorkout_BaseAddressWithOrWithoutPath_RoutesBelowIt(string baseAddress, string expected)
    {
        using var api = StubApi.Json("""{ "id": "w-1", "scheduledAt": "2026-03-02T08:00:00Z" }""", baseAddress: new Uri(baseAddress));

        await api.Catalog.GetWorkoutAsync("w-1");

        Assert.Equal(expected, Assert.Single(api.Requests).AbsoluteUri);
    }

    [Fact]
    public async Task GetWorkout_CustomRoutes_AreUsed()
    {
        using var api = StubApi.Json("[]", o =>
        {
            o.WorkoutRoute = "v3/sessions/{workoutId}/detail";
            o.UpcomingWorkoutsRoute = "v3/sessions?next={days}d";
        });

        await api.Catalog.GetUpcomingAsync(TimeSpan.FromDays(3));

        Assert.Equal("https://api.test/v3/sessions?next=3d", Assert.Single(api.Requests).AbsoluteUri);
    }

    [Fact]
    public async Task GetWorkout_404_IsNotFound()
    {
        using var api = StubApi.Status(HttpStatusCode.NotFound);

        var error = await Assert.ThrowsAsync<CatalogException>(() => api.Catalog.GetWorkoutAsync("w-1"));

        Assert.Equal(CatalogError.NotFound, error.Error);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.Forbidden, false)]
    public async Task GetWorkout_ErrorStatus_IsHttpStatusWithTheCodeAndWhetherItIsTransient(HttpStatusCode status, bool transient)
    {
        using var api = StubApi.Status(status);

        var error = await Assert.ThrowsAsync<CatalogException>(() => api.Catalog.GetWorkoutAsync("w-1"));

        Assert.Equal(CatalogError.HttpStatus, error.Error);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(transient, error.IsTransient);
        Assert.Contains(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetUpcoming_503WithRetryAfter_CarriesTheDelayAndKeepsTheQueryOutOfTheMessage()
    {
        using var api = StubApi.Status(HttpStatusCode.ServiceUnavailable, r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)));

        var error = await Assert.ThrowsAsync<CatalogException>(() => api.Catalog.GetUpcomingAsync(TimeSpan.FromDays(7)));

        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
        Assert.Contains("https://api.test/api/workouts/upcoming answered 503", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("days=", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetWorkout_ConnectionRefused_IsATransientNetworkError()
    {
        using var api = new StubApi(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused"));

        var error = await Assert.ThrowsAsync<CatalogException>(() => api.Catalog.GetWorkoutAsync("w-1"));

        Assert.Equal(CatalogError.Network, error.Error);
        Assert.True(error.IsTransient);
        Assert.Contains("ConnectionError", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetWorkout_ServerNeverAnswers_TimesOutAsATransientNetworkError()
    {
        using var api = new StubApi(
            async (_, token) =>
            {
                await Task.Delay(Timeout.Infinite, token);
                throw new InvalidOperationException("unreachable");
            },
            client: b => b.ConfigureHttpClient(c => c.Timeout = TimeSpan.FromMilliseconds(100)));

        var error = await Assert.ThrowsAsync<CatalogException>(() => api.Catalog.GetWorkoutAsync("w-1"));

        Assert.Equal(CatalogError.Network, error.Error);
        Assert.True(error.IsTransient);
        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetWorkout_CallerCancels_ThrowsOperationCanceledNotACatalogError()
    {
        using var api = new StubApi(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            throw new InvalidOperationException("unreachable");
        });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => api.Catalog.GetWorkoutAsync("w-1", cancel.Token));
    }

    [Fact]
    public async Task GetWorkout_NoApiBaseAddress_IsNotConfiguredWithoutARequest()
    {
        using var api = StubApi.Json("{}", o => o.ApiBaseAddress = null);

        var workout = await Assert.ThrowsAsync<CatalogException>(() => api.Catalog.GetWorkoutAsync("w-1"));
        var upcoming = await Assert.ThrowsAsync<CatalogException>(() => api.Catalog.GetUpcomingAsync(TimeSpan.FromDays(7)));
        var media = await Assert.ThrowsAsync<CatalogException>(() => api.MediaClient.GetMediaAsync("squat"));

        Assert.All([workout, upcoming, media], e =>
        {
            Assert.Equal(CatalogError.NotConfigured, e.Error);
            Assert.Contains("ApiBaseAddress", e.Message, StringComparison.Ordinal);
            Assert.False(e.IsTransient);
        });
        Assert.Empty(api.Requests);
    }
}
