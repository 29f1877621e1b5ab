using System.Globalization;
using OfflineMedia.Testing;

namespace OfflineMedia.Benchmarks.Sync;

/// <summary>
/// A loopback <see cref="FakeMediaOrigin"/> serving one workout of <c>N</c> exercises, each with exactly one
/// variant, a <c>720p</c> video of a given size (plain-URL form: no size or digest in the media JSON, as in the
/// plain server contract), so a sync plans exactly one file per exercise. With no image and no poster on offer, the SDK reports
/// those two slots per exercise as skipped ("no image", "no poster"), and the naive loop skips them too.
/// </summary>
internal sealed class SyncOrigin : IAsyncDisposable
{
    public const string WorkoutId = "w-bench";

    private SyncOrigin(FakeMediaOrigin origin, FakeMediaCatalog catalog)
    {
        Origin = origin;
        Catalog = catalog;
        MediaUris = [.. catalog.Exercises.Select(e => origin.GetMediaUri(e.GetVariant(FakeMediaKind.Video, Variant)))];
        MediaInfoUris = [.. catalog.Exercises.Select(e => origin.GetExerciseMediaUri(e.Id))];
    }

    /// <summary>The one variant each exercise offers.</summary>
    public const string Variant = "720p";

    public FakeMediaOrigin Origin { get; }

    public FakeMediaCatalog Catalog { get; }

    public Uri BaseAddress => Origin.BaseAddress;

    /// <summary>Gets the absolute URLs of the media files, one per exercise, in workout order.</summary>
    public IReadOnlyList<Uri> MediaUris { get; }

    /// <summary>Gets the absolute URLs of the exercises' media info (<c>/api/exercises/{id}/media</c>), in workout order.</summary>
    public IReadOnlyList<Uri> MediaInfoUris { get; }

    public long TotalBytes => Catalog.TotalBytes;

    public int FileCount => MediaUris.Count;

    public static async Task<SyncOrigin> StartAsync(int exercises, long bytesPerFile)
    {
        var catalog = new FakeMediaCatalog();
        var ids = new string[exercises];
        for (var i = 0; i < exercises; i++)
        {
            ids[i] = "exercise-" + i.ToString("D3", CultureInfo.InvariantCulture);
            catalog.AddExercise(ids[i], "Exercise " + i.ToString(CultureInfo.InvariantCulture), e => e.AddVideo(Variant, bytesPerFile));
        }

        catalog.AddWorkout(WorkoutId, "Benchmark Day", DateTimeOffset.UtcNow.AddHours(1), ids);
        var origin = await FakeMediaOrigin.StartAsync(catalog).ConfigureAwait(false);
        return new SyncOrigin(origin, catalog);
    }

    /// <summary>
    /// Adds <paramref name="latencyMs"/> before the answer to every media request (<c>/media/*</c>), and
    /// <paramref name="apiLatencyMs"/> before every API answer (<c>/api/*</c>: the workout, each exercise's media info).
    /// Zero clears it.
    /// </summary>
    public void SetLatency(int latencyMs, int apiLatencyMs = 0)
    {
        Set("/media/*", latencyMs);
        Set("/api/*", apiLatencyMs);

        void Set(string paths, int ms)
        {
            if (ms > 0)
            {
                Origin.Faults.Set(paths, FakeFault.Delay(TimeSpan.FromMilliseconds(ms)));
            }
            else
            {
                Origin.Faults.Clear(paths);
            }
        }
    }

    /// <summary>Checks that every file the origin lists arrived whole under <paramref name="directory"/>; a broken run must not post a fast time.</summary>
    public void AssertAllFilesUnder(string directory)
    {
        var files = Directory.GetFiles(directory, "*.mp4", SearchOption.AllDirectories);
        var expectedSize = TotalBytes / FileCount;
        if (files.Length != FileCount || files.Any(f => new FileInfo(f).Length != expectedSize))
        {
            throw new InvalidOperationException($"Expected {FileCount} files of {expectedSize} bytes under {directory}, found {files.Length}.");
        }
    }

    public ValueTask DisposeAsync() => Origin.DisposeAsync();
}
