using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Testing;
using Xunit.Abstractions;

namespace OfflineMedia.IntegrationTests.Processes;

/// <summary>
/// Where file locks do not work (here: .NET's file locking turned off, as on a file system without them), cache instances
/// cannot tell each other's liveness: a second process is refused with a clear error naming the folder, never let in
/// unaware of the first.
/// </summary>
[Collection(ProcessTestGroup.Name)]
public sealed class NoFileLocksTests(ITestOutputHelper output) : IDisposable
{
    private static readonly Dictionary<string, string> s_noFileLocks = new() { ["DOTNET_SYSTEM_IO_DISABLEFILELOCKING"] = "1" };

    private readonly TempDirectory _temp = new();

    private string Cache => Path.Combine(_temp.Path, "cache");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SecondProcess_WhereFileLocksAreOff_IsRefusedNamingTheFolderAndTheFirstCarriesOn()
    {
        var catalog = new FakeMediaCatalog();
        catalog.AddExercise("squat", "Squat", e => e.AddImage("medium", 8 * 1024));
        await using var origin = await FakeMediaOrigin.StartAsync(catalog);
        var item = catalog.AllVariants.Select(v => $"{v.ExerciseId}/image/{v.Name}|{v.Path}|{v.SizeBytes}").Single();
        string[] common = ["--cache", Cache, "--api", origin.BaseAddress.ToString()];

        await using var first = ChildProcess.StartTestHost(s_noFileLocks, ["evict", .. common, item]);
        await first.WaitForLineAsync(l => l == "ready");
        await using var second = ChildProcess.StartTestHost(s_noFileLocks, ["read", .. common, "--min-hits", "1", "--max-seconds", "2", item]);
        var secondExit = await second.WaitForExitAsync();
        output.WriteLine(second.Describe());

        // Every lookup is refused (the reader reports each on stdout): the folder is the first one's.
        Assert.NotEqual(0, secondExit);
        Assert.Contains($"lookup threw MediaCacheException: The cache folder '{Cache}' is open in another cache instance", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("hits=0 ", second.Stdout, StringComparison.Ordinal);

        first.CloseInput();
        Assert.Equal(0, await first.WaitForExitAsync());
        Assert.Empty(CacheFolder.LiveInstanceFiles(Cache)); // Closed cleanly: the next process may open the folder.
        await using var third = ChildProcess.StartTestHost(s_noFileLocks, ["read", .. common, "--min-hits", "1", "--max-seconds", "20", item]);
        Assert.Equal(0, await third.WaitForExitAsync());
    }
}
