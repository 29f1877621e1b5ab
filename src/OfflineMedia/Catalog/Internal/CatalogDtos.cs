using System.Text.Json;
using System.Text.Json.Serialization;

namespace OfflineMedia.Catalog.Internal;

// The wire shapes of the server contract (ARCHITECTURE.md §2). Every member is nullable: what the
// server left out or sent as null is checked after parsing, with a message that names the field.

internal sealed class WorkoutDto
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public DateTimeOffset? ScheduledAt { get; set; }

    public List<ExerciseDto?>? Exercises { get; set; }
}

internal sealed class ExerciseDto
{
    public string? Id { get; set; }

    public string? Name { get; set; }
}

internal sealed class ExerciseMediaDto
{
    public Dictionary<string, VariantDto?>? Images { get; set; }

    public Dictionary<string, VariantDto?>? Videos { get; set; }
}

/// <summary>
/// A variant as a plain URL string or in the richer form <c>{url, bytes, sha256}</c>. Any other shape
/// reads as a variant without a URL: whether that is an error depends on its name, which only the client knows
/// (a variant this SDK does not know is ignored whatever its shape, so servers can add new kinds).
/// </summary>
[JsonConverter(typeof(VariantDtoConverter))]
internal sealed class VariantDto
{
    public string? Url { get; set; }

    public long? Bytes { get; set; }

    public string? Sha256 { get; set; }
}

internal sealed class VariantDtoConverter : JsonConverter<VariantDto>
{
    public override VariantDto? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return new VariantDto { Url = reader.GetString() };
            case JsonTokenType.StartObject:
                var variant = new VariantDto();
                var comparison = options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = reader.GetString();
                    reader.Read();
                    if (string.Equals(name, "url", comparison))
                    {
                        variant.Url = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
                    }
                    else if (string.Equals(name, "bytes", comparison))
                    {
                        variant.Bytes = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt64();
                    }
                    else if (string.Equals(name, "sha256", comparison))
                    {
                        variant.Sha256 = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
                    }
                    else
                    {
                        reader.Skip(); // Fields a newer server adds are ignored.
                    }
                }

                return variant;
            default:
                reader.Skip(); // An array or a number: no URL (see the summary of VariantDto).
                return new VariantDto();
        }
    }

    public override void Write(Utf8JsonWriter writer, VariantDto value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Variants are only read.");
}

[JsonSerializable(typeof(WorkoutDto))]
[JsonSerializable(typeof(List<JsonElement>))]
[JsonSerializable(typeof(ExerciseMediaDto))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true, MaxDepth = 16)]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
