using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OfflineMedia.Testing;

namespace OfflineMedia.Fleet.Origins;

/// <summary>
/// A catalog written out as a static site a plain file server can serve: the API routes as JSON files
/// (<c>api/workouts/upcoming.json</c>, <c>api/workouts/{id}.json</c>, <c>api/exercises/{id}/media.json</c>) and every
/// variant as a file of deterministic bytes (seeded by its path and version) at its path. Variant URLs are the paths;
/// variants in the richer form carry the size and SHA-256 of the file written. The JSON is compact, as an API sends it.
/// Files are replaced by a rename, so the server never sends half of one. (Trimmed from the integration tests'
/// <c>StaticCatalogSite</c>.)
/// </summary>
internal sealed class StaticCatalogSite
{
    private readonly ConcurrentDictionary<FakeMediaVariant, string> _sha256 = new();

    private StaticCatalogSite(string root, FakeMediaCatalog catalog)
    {
        Root = root;
        Catalog = catalog;
    }

    public string Root { get; }

    public FakeMediaCatalog Catalog { get; }

    /// <summary>Writes <paramref name="catalog"/> under <paramref name="root"/>; the upcoming list holds the workouts within 7 days after <paramref name="now"/>.</summary>
    public static StaticCatalogSite Write(string root, FakeMediaCatalog catalog, DateTimeOffset now)
    {
        var site = new StaticCatalogSite(root, catalog);
        foreach (var variant in catalog.AllVariants)
        {
            site.WriteVariant(variant);
        }

        foreach (var exercise in catalog.Exercises)
        {
            site.WriteMedia(exercise);
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

    /// <summary>Gets the SHA-256 of the file served for a variant.</summary>
    public string Sha256Of(FakeMediaVariant variant) => _sha256[variant];

    /// <summary>Writes the variant's file for its current version and, when its exercise lists it in the richer form, the exercise's media JSON.</summary>
    public void Rewrite(FakeMediaVariant variant)
    {
        WriteVariant(variant);
        if (variant.Form == FakeVariantForm.Rich)
        {
            WriteMedia(Catalog.Exercises.Single(e => e.Id == variant.ExerciseId));
        }
    }

    private void WriteVariant(FakeMediaVariant variant)
    {
        var seed = BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes($"{variant.Path}#{variant.Version}")));
        var bytes = new byte[variant.SizeBytes];
#pragma warning disable CA5394 // Test content, not security.
        new Random(seed).NextBytes(bytes);
#pragma warning restore CA5394
        _sha256[variant] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        WriteFile(variant.Path, bytes);
    }

    private void WriteMedia(FakeExercise exercise) => WriteFile($"api/exercises/{exercise.Id}/media.json", Json(writer =>
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
                    writer.WriteString("sha256", Sha256Of(variant));
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
    }));

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
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    private void WriteFile(string relativePath, byte[] content)
    {
        var path = Path.Combine(Root, relativePath.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".new";
        File.WriteAllBytes(temp, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, File.GetUnixFileMode(temp) | UnixFileMode.GroupRead | UnixFileMode.OtherRead); // nginx's workers read it.
        }

        File.Move(temp, path, overwrite: true);
    }
}
