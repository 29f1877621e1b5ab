using System.Text.Json;
using OfflineMedia.Sample;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>
/// The fake origin the process tests sync from: a week of workouts over many exercises, every media body paced at 500 KB/s
/// (as a good mobile network delivers it), so a sync takes seconds and a kill lands mid-file.
/// </summary>
/// <remarks>
/// The origin counts a byte as served once the server has taken it, and the server takes bytes a process killed a moment
/// later never received: a body sent at full speed sits in socket buffers by the megabyte. Paced in small chunks, little is
/// ever in flight, so the bytes served are the bytes a device would have been sent.
/// </remarks>
internal static class ProcessOrigin
{
    /// <summary>The pace of a media body: with four downloads at a time, a phone's week of 27 MB in about 14 s.</summary>
    private static readonly FakeFault s_throttle = FakeFault.Throttle(500_000);

    /// <summary>
    /// Starts an origin with <paramref name="exercises"/> exercises (half of them with a size and digest in the catalog)
    /// in workouts of five over the coming days; a phone syncs three files of each (medium image, 720p video, poster).
    /// </summary>
    public static async Task<FakeMediaOrigin> StartWeekAsync(int exercises = 24, int scale = 10)
    {
        var catalog = new FakeMediaCatalog();
        var ids = Enumerable.Range(1, exercises).Select(i => $"exercise-{i:00}").ToArray();
        for (var i = 0; i < ids.Length; i++)
        {
            var form = i % 2 == 0 ? FakeVariantForm.PlainUrl : FakeVariantForm.Rich;
            catalog.AddExercise(ids[i], $"Exercise {i + 1}", e => e.AddTypicalVariants(scale, form));
        }

        var first = DateTimeOffset.UtcNow.AddHours(2);
        foreach (var (workout, n) in ids.Chunk(5).Select((w, n) => (w, n)))
        {
            catalog.AddWorkout($"w-{n + 1}", $"Workout {n + 1}", first.AddDays(n), workout);
        }

        var origin = await FakeMediaOrigin.StartAsync(catalog);
        foreach (var variant in catalog.AllVariants)
        {
            origin.Faults.Set(variant, s_throttle);
        }

        return origin;
    }

    /// <summary>The sample's arguments for a sync from <paramref name="origin"/> into <paramref name="cache"/>, with the report as JSON on stdout.</summary>
    public static string[] SampleArguments(this FakeMediaOrigin origin, string cache) =>
        ["--api", origin.BaseAddress.ToString(), "--cache", cache, "--json"];

    /// <summary>Reads the sample's <c>--json</c> report.</summary>
    public static SampleDocument Report(string stdout) =>
        JsonSerializer.Deserialize(stdout, SampleJsonContext.Default.SampleDocument) ?? throw new JsonException("The sample wrote no report.");

    /// <summary>The origin's variant behind an item of the sample's report (a poster is listed with the videos).</summary>
    public static FakeMediaVariant VariantOf(this FakeMediaCatalog catalog, SampleItem item) =>
        catalog.GetVariant(item.ExerciseId, item.Kind == "video" || item.Variant == "poster" ? FakeMediaKind.Video : FakeMediaKind.Image, item.Variant);

    /// <summary>The media requests answered with a body (200 or 206 with bytes sent), by path.</summary>
    public static ILookup<string, FakeOriginRequest> BodiesByPath(this FakeOriginRequestLog log) =>
        log.MediaRequests().Where(r => r.Method == "GET" && r.StatusCode is 200 or 206 && r.BodyBytesSent > 0).ToLookup(r => r.Path, StringComparer.Ordinal);

    /// <summary>Body bytes the origin sent for media files.</summary>
    public static long MediaBytesServed(this FakeOriginRequestLog log) => log.MediaRequests().Sum(r => r.BodyBytesSent);

    /// <summary>The first few items of a report that did not end downloaded or cached, with the reason of each, one a line.</summary>
    public static string Problems(SampleDocument report)
    {
        var problems = report.Items.Where(i => i.Outcome is not ("downloaded" or "cached")).Select(i => $"{i.ExerciseId}/{i.Kind}/{i.Variant}: {i.Outcome}: {i.Reason}").ToList();
        return string.Join('\n', problems.Take(5)) + (problems.Count > 5 ? $"\n... and {problems.Count - 5} more" : string.Empty);
    }
}
