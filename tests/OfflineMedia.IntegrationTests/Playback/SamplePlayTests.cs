using System.Text.Json;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.IntegrationTests.Sample;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Playback;

/// <summary>
/// The sample's <c>--play</c>, as its own process: a video read through the cache before the sync, on the embedded origin
/// and against an API of the test's, online and offline; the bytes a player got are the origin's, byte for byte.
/// </summary>
[Collection(nameof(SampleAppTests))]
public sealed class SamplePlayTests : IDisposable
{
    private const string Scale = "1000";

    private readonly TempDirectory _temp = new();

    private string Cache => Path.Combine(_temp.Path, "cache");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Play_FreshCacheOnline_ReadsFromTheNetworkLeavesItCachedAndTheSyncFindsIt()
    {
        var (exit, stdout, stderr) = await SampleProcess.RunAsync("--cache", Cache, "--scale", Scale, "--json", "--play", "squat");

        Assert.True(exit == 0, stderr);
        using var document = JsonDocument.Parse(stdout);
        var play = Assert.Single(document.RootElement.GetProperty("play").EnumerateArray());
        var expected = EmbeddedVariant("squat", "720p"); // A phone's video.
        Assert.True(play.GetProperty("reason").ValueKind == JsonValueKind.Null, stderr);
        AssertPlayed(play, "squat", expected, "network");
        var item = document.RootElement.GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("exerciseId").GetString() == "squat" && i.GetProperty("kind").GetString() == "video");
        Assert.Equal("cached", item.GetProperty("outcome").GetString()); // The sync found what the player left.
        Assert.Contains("Played squat 720p", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Play_OfflineAfterASync_ReadsFromTheCache()
    {
        var first = await SampleProcess.RunAsync("--cache", Cache, "--scale", Scale, "--json");
        Assert.True(first.Exit == 0, first.Stderr);

        var (exit, stdout, stderr) = await SampleProcess.RunAsync("--cache", Cache, "--scale", Scale, "--json", "--network", "none", "--play", "squat", "--play", "deadlift");

        Assert.True(exit == 3, stderr); // The sync is skipped offline; the plays are not.
        using var document = JsonDocument.Parse(stdout);
        var plays = document.RootElement.GetProperty("play").EnumerateArray().ToList();
        Assert.Equal(2, plays.Count);
        AssertPlayed(plays[0], "squat", EmbeddedVariant("squat", "720p"), "cache");
        AssertPlayed(plays[1], "deadlift", EmbeddedVariant("deadlift", "720p"), "cache");
    }

    [Fact]
    public async Task Play_OfflineNotCached_SaysWhyAndReadsNothing()
    {
        var (exit, stdout, stderr) = await SampleProcess.RunAsync("--cache", Cache, "--scale", Scale, "--json", "--network", "none", "--play", "squat");

        Assert.True(exit == 3, stderr);
        using var document = JsonDocument.Parse(stdout);
        var play = Assert.Single(document.RootElement.GetProperty("play").EnumerateArray());
        Assert.Equal(0, play.GetProperty("bytes").GetInt64());
        Assert.False(play.GetProperty("cachedAfter").GetBoolean());
        Assert.Contains("not available offline", play.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Play_AgainstAnApi_ReadsTheApisBytes()
    {
        var catalog = FakeMediaCatalog.CreateWeek(DateTimeOffset.UtcNow, scale: 1000);
        await using var origin = await FakeMediaOrigin.StartAsync(catalog);
        var expected = catalog.Exercises.Single(e => e.Id == "plank").GetVariant(FakeMediaKind.Video, "720p");

        var (exit, stdout, stderr) = await SampleProcess.RunAsync("--api", origin.BaseAddress.ToString(), "--cache", Cache, "--json", "--play", "plank");

        Assert.True(exit == 0, stderr);
        using var document = JsonDocument.Parse(stdout);
        AssertPlayed(Assert.Single(document.RootElement.GetProperty("play").EnumerateArray()), "plank", expected, "network");
    }

    [Fact]
    public async Task Play_ServerRefusesTheVideo_SaysWhyAndKeepsNothing()
    {
        var catalog = FakeMediaCatalog.CreateWeek(DateTimeOffset.UtcNow, scale: 1000);
        await using var origin = await FakeMediaOrigin.StartAsync(catalog);
        origin.Faults.Set(catalog.Exercises.Single(e => e.Id == "plank").GetVariant(FakeMediaKind.Video, "720p"), FakeFault.Status(403));

        var (_, stdout, stderr) = await SampleProcess.RunAsync("--api", origin.BaseAddress.ToString(), "--cache", Cache, "--json", "--play", "plank");

        using var document = JsonDocument.Parse(stdout);
        var play = Assert.Single(document.RootElement.GetProperty("play").EnumerateArray());
        Assert.Equal(0, play.GetProperty("bytes").GetInt64());
        Assert.False(play.GetProperty("cachedAfter").GetBoolean());
        Assert.Contains("403", play.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Play_WithoutAnExercise_SaysItNeedsAValue()
    {
        var (exit, stdout, stderr) = await SampleProcess.RunAsync("--play", "--json");

        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        Assert.Equal("--play needs a value.", stderr.Trim());
    }

    private static FakeMediaVariant EmbeddedVariant(string exerciseId, string name) =>
        FakeMediaCatalog.CreateWeek(DateTimeOffset.UtcNow, scale: 1000).Exercises.Single(e => e.Id == exerciseId).GetVariant(FakeMediaKind.Video, name);

    private static void AssertPlayed(JsonElement play, string exerciseId, FakeMediaVariant expected, string source)
    {
        Assert.Equal(exerciseId, play.GetProperty("exerciseId").GetString());
        Assert.Equal(expected.Name, play.GetProperty("variant").GetString());
        Assert.True(JsonValueKind.Null == play.GetProperty("reason").ValueKind, play.GetProperty("reason").ToString());
        Assert.Equal(source, play.GetProperty("source").GetString());
        Assert.Equal(expected.SizeBytes, play.GetProperty("bytes").GetInt64());
        Assert.Equal(expected.Sha256, play.GetProperty("sha256").GetString());
        Assert.True(play.GetProperty("cachedAfter").GetBoolean());
    }
}
