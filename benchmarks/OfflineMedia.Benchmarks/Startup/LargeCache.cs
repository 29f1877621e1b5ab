using System.Globalization;
using OfflineMedia.Benchmarks.Sync;

namespace OfflineMedia.Benchmarks.Startup;

/// <summary>
/// A cache folder of many entries made the way an app makes one: downloads through the SDK's public API, in a child
/// process (<see cref="IdleMemoryChild.SeedAsync"/>) that then syncs a workout and measures its heap. Filling 100,000
/// takes minutes: given a folder (<c>--cache-dir</c>), the cache is kept there and a later run that names it again
/// reuses it; otherwise it is made in a temp folder, deleted on dispose.
/// </summary>
internal sealed class LargeCache : IDisposable
{
    private readonly bool _owned;

    private LargeCache(string directory, Dictionary<string, double>? seed, bool owned)
    {
        Directory = directory;
        Seed = seed;
        _owned = owned;
    }

    public string Directory { get; }

    /// <summary>Gets the seed child's figures (<c>fill_ms</c>, <c>sync_ms</c>, and its heap after the sync and an idle), or null when an existing cache was reused.</summary>
    public Dictionary<string, double>? Seed { get; }

    public static async Task<LargeCache> CreateAsync(LargeCacheOrigin origin, int entries, string workoutId, string? keepIn)
    {
        if (keepIn is not null && File.Exists(Path.Combine(keepIn, "index.db")))
        {
            return new LargeCache(keepIn, null, owned: false);
        }

        var directory = keepIn ?? Path.Combine(Path.GetTempPath(), "offlinemedia-bench-large-" + Guid.NewGuid().ToString("N")[..12]);
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
            return new LargeCache(directory, seed, owned: keepIn is null);
        }
        catch
        {
            SyncThroughputBenchmarks.TryDelete(directory);
            throw;
        }
    }

    public void Dispose()
    {
        if (_owned)
        {
            SyncThroughputBenchmarks.TryDelete(Directory);
        }
    }
}
