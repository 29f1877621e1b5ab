using System.Globalization;
using OfflineMedia.Benchmarks.Sync;

namespace OfflineMedia.Benchmarks.Startup;

/// <summary>
/// A cache folder of many entries made the way an app makes one: downloads through the SDK's public API, in a child
/// process (<see cref="IdleMemoryChild.SeedAsync"/>) that then syncs a workout and measures its heap. Deleted on dispose.
/// </summary>
internal sealed class LargeCache : IDisposable
{
    private LargeCache(string directory, Dictionary<string, double> seed)
    {
        Directory = directory;
        Seed = seed;
    }

    public string Directory { get; }

    /// <summary>Gets the seed child's figures: <c>fill_ms</c>, <c>sync_ms</c>, and its heap after the sync and an idle.</summary>
    public Dictionary<string, double> Seed { get; }

    public static async Task<LargeCache> CreateAsync(LargeCacheOrigin origin, int entries, string workoutId)
    {
        var directory = Path.Combine(Path.GetTempPath(), "offlinemedia-bench-large-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var seed = await ChildProcess.RunAsync(
                "seed",
                "--dir", directory,
                "--entries", entries.ToString(CultureInfo.InvariantCulture),
                "--origin", origin.Origin.BaseAddress.ToString(),
                "--image-url", origin.SeedImageUri.ToString(),
                "--video-url", origin.SeedVideoUri.ToString(),
                "--workout", workoutId).ConfigureAwait(false);
            return new LargeCache(directory, seed);
        }
        catch
        {
            SyncThroughputBenchmarks.TryDelete(directory);
            throw;
        }
    }

    public void Dispose() => SyncThroughputBenchmarks.TryDelete(Directory);
}
