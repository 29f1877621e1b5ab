using OfflineMedia.IntegrationTests.Infrastructure;

namespace OfflineMedia.IntegrationTests.Sample;

/// <summary>
/// The sample as its own process (<c>dotnet OfflineMedia.Sample.Console.dll</c>), where the claim is about the process:
/// whatever goes wrong, it exits with a code and a line, never an unhandled exception that aborts it.
/// </summary>
[Collection(nameof(SampleAppTests))]
public sealed class SampleHostCrashTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Cache => Path.Combine(_temp.Path, "cache");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Run_SyncStateThatCannotBeOpened_ExitsWith1AndOneLineInsteadOfAnUnhandledException()
    {
        // A folder where the sync state's file should be: it can be neither opened nor deleted to be rebuilt.
        Directory.CreateDirectory(Path.Combine(Cache, "sync.db"));

        var (exit, stdout, stderr) = await SampleProcess.RunAsync("--cache", Cache);

        Assert.True(exit == 1, $"exit {exit}: {stderr}");
        // The log's warning that the state is rebuilt comes first; the failure is one line.
        var line = Assert.Single(Lines(stderr), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.Contains("sync.db", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_EmptyCacheFolderArgument_ExitsWith1AndSaysWhy()
    {
        var (exit, stdout, stderr) = await SampleProcess.RunAsync("--cache", string.Empty);

        Assert.True(exit == 1, $"exit {exit}: {stderr}");
        Assert.Equal("--cache needs a folder path; '' is not one.", Assert.Single(Lines(stderr)));
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task Run_ApiSchedulesAWorkoutOnTheLastSecondOf9999_SyncsWithoutCrashing()
    {
        const string Upcoming = """[{"id": "w-far", "name": "Far Away", "scheduledAt": "9999-12-31T23:59:59Z", "exercises": []}]""";
        await using var api = await ScriptedApi.StartAsync(new Dictionary<string, string> { ["/api/workouts/upcoming"] = Upcoming });

        var (exit, stdout, stderr) = await SampleProcess.RunAsync("--api", api.BaseAddress.ToString(), "--cache", Cache, "--json");

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.Contains("\"w-far\"", stdout, StringComparison.Ordinal);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
