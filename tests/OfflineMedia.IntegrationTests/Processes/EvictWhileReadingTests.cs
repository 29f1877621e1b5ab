using System.Globalization;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Testing;
using Xunit.Abstractions;

namespace OfflineMedia.IntegrationTests.Processes;

/// <summary>
/// A process showing media while another lowers the budget: the reader is never handed a path it cannot read whole,
/// whatever the evictor removes around it.
/// </summary>
[Collection(ProcessTestGroup.Name)]
public sealed class EvictWhileReadingTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Cache => Path.Combine(_temp.Path, "cache");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Read_WhileAnotherProcessEvictsAndRefills_NeverHandsOutAPathThatIsMissingOrPartial()
    {
        var seed = Random.Shared.Next();
        output.WriteLine($"seed {seed}");
        var catalog = new FakeMediaCatalog();
        for (var i = 1; i <= 16; i++)
        {
            catalog.AddExercise($"exercise-{i:00}", $"Exercise {i}", e => e.AddImage("medium", 6 * 1024).AddVideo("720p", 24 * 1024));
        }

        await using var origin = await FakeMediaOrigin.StartAsync(catalog);
        var items = catalog.AllVariants.Select(v => $"{v.ExerciseId}/{(v.Kind == FakeMediaKind.Image ? "image" : "video")}/{v.Name}|{v.Path}|{v.SizeBytes}").ToArray();
        string[] common = ["--cache", Cache, "--api", origin.BaseAddress.ToString(), "--seed", seed.ToString(CultureInfo.InvariantCulture)];

        // The evictor fills the cache, then trims and refills it until told to stop; the reader reads meanwhile.
        await using var evictor = ChildProcess.StartTestHost(["evict", .. common, .. items]);
        await evictor.WaitForLineAsync(l => l == "ready");
        await using var reader = ChildProcess.StartTestHost(["read", .. common, "--min-seconds", "5", "--min-hits", "3000", "--max-seconds", "30", "--open-delay-ms", "2", .. items]);
        var readerExit = await reader.WaitForExitAsync();
        evictor.CloseInput();
        var evictorExit = await evictor.WaitForExitAsync();

        var read = await reader.WaitForLineAsync(l => l.StartsWith("summary ", StringComparison.Ordinal));
        var evicted = await evictor.WaitForLineAsync(l => l.StartsWith("summary ", StringComparison.Ordinal));
        output.WriteLine($"reader: {read}");
        output.WriteLine($"evictor: {evicted}");
        Assert.True(Figure(read, "failures") == 0, $"The reader was handed paths it could not read whole:\n{reader.Stdout}\n{reader.Stderr}");
        Assert.True(readerExit == 0, reader.Describe());
        Assert.True(Figure(read, "hits") >= 3000, reader.Describe());
        Assert.True(Figure(evicted, "evicted") > 0, evictor.Describe());
        Assert.True(Figure(evicted, "errors") == 0 && evictorExit == 0, $"The evictor failed to download or trim:\n{evictor.Describe()}");
    }

    /// <summary>A figure of a <c>summary name=value ...</c> line.</summary>
    private static long Figure(string summary, string name) =>
        long.Parse(summary.Split(' ').Single(p => p.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..], CultureInfo.InvariantCulture);
}
