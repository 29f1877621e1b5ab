using OfflineMedia.Cache;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>Maps variants of the fake origin to the cache's keys and sources.</summary>
internal static class FakeMediaVariantExtensions
{
    /// <summary>The key the SDK uses for a variant: a video's poster is an image.</summary>
    public static MediaKey ToKey(this FakeMediaVariant variant) =>
        new(variant.ExerciseId, variant.Kind == FakeMediaKind.Image || variant.Name == "poster" ? MediaKind.Image : MediaKind.Video, variant.Name);

    /// <summary>The digest the SDK keeps for the variant when it syncs it from the catalog: the one the richer form gives, else none.</summary>
    public static string? KeptSha256(this FakeMediaVariant variant) => variant.Form == FakeVariantForm.Rich ? variant.Sha256 : null;

    /// <summary>A source with the variant's relative URL and, unless <paramref name="verified"/> is false, its size and digest.</summary>
    public static MediaSource ToSource(this FakeMediaVariant variant, bool verified = true) =>
        verified ? new MediaSource(variant.Path, variant.SizeBytes, variant.Sha256) : new MediaSource(variant.Path);
}
