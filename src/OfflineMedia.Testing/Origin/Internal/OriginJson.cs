using System.Buffers;
using System.Text.Json;

namespace OfflineMedia.Testing.Internal;

/// <summary>The origin's JSON, written with <see cref="Utf8JsonWriter"/>: no reflection, AOT-safe, exact shape.</summary>
internal static class OriginJson
{
    public static byte[] ExerciseMedia(FakeExercise exercise, Func<FakeMediaVariant, string> urlOf)
    {
        var variants = exercise.Variants;
        return Write(writer =>
        {
            writer.WriteStartObject();
            WriteGroup(writer, "images", variants.Where(v => v.Kind == FakeMediaKind.Image), urlOf);
            WriteGroup(writer, "videos", variants.Where(v => v.Kind == FakeMediaKind.Video), urlOf);
            writer.WriteEndObject();
        });
    }

    public static byte[] Workout(FakeWorkout workout, FakeMediaCatalog catalog)
        => Write(writer => WriteWorkout(writer, workout, catalog));

    public static byte[] Workouts(IEnumerable<FakeWorkout> workouts, FakeMediaCatalog catalog)
        => Write(writer =>
        {
            writer.WriteStartArray();
            foreach (var workout in workouts)
            {
                WriteWorkout(writer, workout, catalog);
            }

            writer.WriteEndArray();
        });

    private static void WriteGroup(Utf8JsonWriter writer, string name, IEnumerable<FakeMediaVariant> variants, Func<FakeMediaVariant, string> urlOf)
    {
        writer.WriteStartObject(name);
        foreach (var variant in variants)
        {
            if (variant.Form == FakeVariantForm.Rich)
            {
                var content = variant.Current;
                writer.WriteStartObject(variant.Name);
                writer.WriteString("url", urlOf(variant));
                writer.WriteNumber("bytes", content.Length);
                writer.WriteString("sha256", content.Sha256);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteString(variant.Name, urlOf(variant));
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteWorkout(Utf8JsonWriter writer, FakeWorkout workout, FakeMediaCatalog catalog)
    {
        writer.WriteStartObject();
        writer.WriteString("id", workout.Id);
        writer.WriteString("name", workout.Name);

        // UTC with "Z", as APIs usually send it (a "+00:00" offset would be escaped by the default encoder).
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

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
