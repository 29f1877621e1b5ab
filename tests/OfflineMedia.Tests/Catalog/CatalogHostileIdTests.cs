using OfflineMedia.Catalog;

namespace OfflineMedia.Tests.Catalog;

/// <summary>Ids the cache cannot key media by, and ids that would be dot segments of a URL, stop at the catalog.</summary>
public sealed class CatalogHostileIdTests
{
    private static readonly string s_longId = new('a', 3000);

    public static TheoryData<string, string> BadExerciseIds => new()
    {
        { s_longId, "3000 characters long" },
        { "squat\u0007", "control character (U+0007)" },
        { "squat\u001b[2J", "control character (U+001B)" },
    };

    [Theory]
    [MemberData(nameof(BadExerciseIds))]
    public async Task GetWorkout_ExerciseIdTheCacheRefuses_IsAnInvalidResponseNamingTheWorkoutWithTheIdEscaped(string exerciseId, string reason)
    {
        using var api = StubApi.Json(Workout("w-1", "2026-03-02T08:00:00Z", exerciseId));

        var error = await Assert.ThrowsAsync<CatalogException>(() => api.Catalog.GetWorkoutAsync("w-1"));

        Assert.Equal(CatalogError.InvalidResponse, error.Error);
        Assert.Contains("workout 'w-1'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(error.Message, char.IsControl);
        Assert.True(error.Message.Length < 600, error.Message);
    }

    [Fact]
    public async Task GetUpcoming_OneWorkoutWithAnExerciseIdTheCacheRefuses_LeavesOutThatWorkoutAndKeepsTheOthers()
    {
        using var api = StubApi.Json($"[{Workout("w-bad", "2026-03-02T08:00:00Z", "squat", s_longId)}, {Workout("w-ok", "2026-03-03T08:00:00Z", "squat")}]");

        var workouts = await api.Catalog.GetUpcomingAsync(TimeSpan.FromDays(7));

        Assert.Equal(["w-ok"], workouts.Select(w => w.Id));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("...")]
    public async Task GetMedia_IdOfOnlyDots_IsNotFoundWithoutARequest(string exerciseId)
    {
        using var api = StubApi.Json("{}");

        var error = await Assert.ThrowsAsync<CatalogException>(() => api.MediaClient.GetMediaAsync(exerciseId));

        Assert.Equal(CatalogError.NotFound, error.Error);
        Assert.Contains("only dots", error.Message, StringComparison.Ordinal);
        Assert.Empty(api.Requests);

        // Dots with anything else are no dot segment: the id is asked for as one escaped segment.
        await api.MediaClient.GetMediaAsync(exerciseId + "a/" + exerciseId);
        Assert.Equal($"/api/exercises/{exerciseId}a%2F{exerciseId}/media", Assert.Single(api.Requests).AbsolutePath);
    }

    [Fact]
    public async Task GetWorkout_IdOfTwoDots_IsNotFoundWithoutARequest()
    {
        using var api = StubApi.Json("{}");

        var error = await Assert.ThrowsAsync<CatalogException>(() => api.Catalog.GetWorkoutAsync(".."));

        Assert.Equal(CatalogError.NotFound, error.Error);
        Assert.Empty(api.Requests);
    }

    private static string Workout(string id, string at, params string[] exerciseIds) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = id,
            ["scheduledAt"] = at,
            ["exercises"] = exerciseIds.Select(e => new Dictionary<string, string> { ["id"] = e }).ToList(),
        });
}
