using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OfflineMedia.Cache;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>
/// A fake origin's catalog written out as a static site a plain file server (nginx) can serve: the catalog routes as
/// JSON files (<c>api/workouts/upcoming.json</c>, <c>api/workouts/{id}.json</c>, <c>api/exercises/{id}/media.json</c>)
/// and every variant as a file of deterministic bytes at its path (<c>media/video/squat/720p/720p.mp4</c>). Variant URLs
/// are the paths, relative to the API; variants in the richer form carry the size and SHA-256 of the file written.
/// </summary>
public sealed class StaticCatalogSite
{
    private StaticCatalogSite(string root, FakeMediaCatalog catalog)
    {
        Root = root;
        Catalog = catalog;
    }

    public string Root { get; }

    public FakeMediaCatalog Catalog { get; }

    /// <summary>
    /// Writes <paramref name="catalog"/> under <paramref name="root"/>: the upcoming list holds the workouts within 7 days
    /// after <paramref name="now"/>, as the fake origin would answer <c>?days=7</c> then.
    /// </summary>
    public static StaticCatalogSite Write(string root, FakeMediaCatalog catalog, DateTimeOffset now)
    {
        var site = new StaticCatalogSite(root, catalog);
        foreach (var variant in catalog.AllVariants)
        {
            site.WriteFile(variant.Path, Content(variant));
        }

        foreach (var exercise in catalog.Exercises)
        {
            site.WriteFile($"api/exercises/{exercise.Id}/media.json", Json(w => WriteMedia(w, exercise, site)));
        }

        foreach (var workout in catalog.Workouts)
        {
            site.WriteFile($"api/workouts/{workout.Id}.json", Json(w => WriteWorkout(w, workout, catalog)));
        }

        site.WriteFile("api/workouts/upcoming.json", Json(w =>
        {
            w.WriteStartArray();
            foreach (var workout in catalog.GetUpcomingWorkouts(now, TimeSpan.FromDays(7)))
            {
                WriteWorkout(w, workout, catalog);
            }

            w.WriteEndArray();
        }));
        return site;
    }

    /// <summary>The file served for a variant.</summary>
    public string FileOf(FakeMediaVariant variant) => Path.Combine(Root, variant.Path.TrimStart('/'));

    /// <summary>The file served for the variant behind a cache key.</summary>
    public string FileOf(MediaKey key) => FileOf(Catalog.VariantOf(key));

    /// <summary>Gets the SHA-256 of the file served for a variant.</summary>
    public string Sha256Of(FakeMediaVariant variant) => CacheFolder.Sha256(FileOf(variant));

    private static byte[] Content(FakeMediaVariant variant)
    {
        // Random bytes, seeded by the variant: the same site every run, and never anything that looks like a web page.
        var seed = BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(variant.Path)));
        var bytes = new byte[variant.SizeBytes];
#pragma warning disable CA5394 // Test content, not security.
        new Random(seed).NextBytes(bytes);
#pragma warning restore CA5394
        return bytes;
    }

    private static void WriteMedia(Utf8JsonWriter writer, FakeExercise exercise, StaticCatalogSite site)
    {
        writer.WriteStartObject();
        foreach (var (group, kind) in new[] { ("images", FakeMediaKind.Image), ("videos", FakeMediaKind.Video) })
        {
            writer.WriteStartObject(group);
            foreach (var variant in exercise.Variants.Where(v => v.Kind == kind))
            {
                if (variant.Form == FakeVariantForm.Rich)
                {
                    writer.WriteStartObject(variant.Name);
                    writer.WriteString("url", variant.Path);
                    writer.WriteNumber("bytes", variant.SizeBytes);
                    writer.WriteString("sha256", site.Sha256Of(variant));
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteString(variant.Name, variant.Path);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteWorkout(Utf8JsonWriter writer, FakeWorkout workout, FakeMediaCatalog catalog)
    {
        writer.WriteStartObject();
        writer.WriteString("id", workout.Id);
        writer.WriteString("name", workout.Name);
        writer.WriteString("scheduledAt", workout.ScheduledAt.UtcDateTime);
        writer.WriteStartArray("exercises");
        foreach (var id in workout.ExerciseIds)
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("name", catalog.TryGetExercise(id, out var exercise) ? exercise.Name : id);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    private void WriteFile(string relativePath, byte[] content)
    {
        var path = Path.Combine(Root, relativePath.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
    }
}
