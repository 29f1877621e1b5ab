using System.Text.Json.Serialization;

namespace OfflineMedia.Sample;

// The --json document (one object on stdout), written with generated code.

internal sealed record SampleDocument(
    string Outcome,
    string? Reason,
    string CacheDirectory,
    IReadOnlyList<SampleItem> Items,
    SampleTotals Totals,
    IReadOnlyList<SampleWorkout> Workouts,
    IReadOnlyList<SampleResolution> Resolution,
    IReadOnlyList<SamplePlay> Play);

internal sealed record SampleItem(string ExerciseId, string Kind, string Variant, string Outcome, string? Reason, string? Path, long? Bytes, string? Sha256);

internal sealed record SampleTotals(int Planned, int Downloaded, int Cached, int Skipped, int Failed, long BytesDownloaded);

internal sealed record SampleWorkout(string Id, string Availability);

internal sealed record SampleResolution(string ExerciseId, string Kind, string Source, string? Path, string? Url, string? Reason);

/// <summary>One <c>--play</c>: the video read through the cache, where its bytes came from, and whether it stayed cached.</summary>
/// <param name="Source"><c>cache</c> (all on disk when it opened), <c>network</c> (none), <c>both</c>; null when it did not open.</param>
/// <param name="Reason">Why it stopped short of the end, or did not open; null when it was read to the end.</param>
internal sealed record SamplePlay(string ExerciseId, string? Variant, long Bytes, string? Sha256, string? Source, bool CachedAfter, string? Reason);

[JsonSerializable(typeof(SampleDocument))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
internal sealed partial class SampleJsonContext : JsonSerializerContext;
