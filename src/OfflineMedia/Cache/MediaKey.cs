using OfflineMedia.Internal;
using OfflineMedia.Variants;

namespace OfflineMedia.Cache;

/// <summary>
/// Identifies a cached file: an exercise's media of one kind and variant. The URL is not part of it,
/// since signed URLs change while the content does not.
/// </summary>
/// <param name="ExerciseId">The exercise id, as the media API names it.</param>
/// <param name="Kind">Image or video; a video's poster is an image with the <c>poster</c> variant.</param>
/// <param name="Variant">The variant name, for example <c>medium</c> or <c>720p</c>.</param>
public readonly record struct MediaKey(string ExerciseId, MediaKind Kind, string Variant)
{
    /// <summary>Returns the key as <c>exerciseId/kind/variant</c>, with control characters written as <c>\uXXXX</c> (ids come from the network).</summary>
    /// <returns>The key as text, safe to write to a console or a log.</returns>
    public override string ToString() => SafeText.Escape($"{ExerciseId}/{(Kind == MediaKind.Image ? "image" : "video")}/{Variant}");
}
