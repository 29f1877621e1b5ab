using System.Collections.Frozen;
using OfflineMedia.Variants;

namespace OfflineMedia.Playback.Internal;

/// <summary>Content types by file extension, for the media types the cache keeps (its files are named with these extensions).</summary>
internal static class MediaContentTypes
{
    private const string Unknown = "application/octet-stream";

    private static readonly FrozenDictionary<string, (MediaKind Kind, string Type)> s_byExtension = new Dictionary<string, (MediaKind Kind, string Type)>
    {
        [".mp4"] = (MediaKind.Video, "video/mp4"),
        [".m4v"] = (MediaKind.Video, "video/x-m4v"),
        [".mov"] = (MediaKind.Video, "video/quicktime"),
        [".webm"] = (MediaKind.Video, "video/webm"),
        [".jpg"] = (MediaKind.Image, "image/jpeg"),
        [".jpeg"] = (MediaKind.Image, "image/jpeg"),
        [".png"] = (MediaKind.Image, "image/png"),
        [".webp"] = (MediaKind.Image, "image/webp"),
        [".gif"] = (MediaKind.Image, "image/gif"),
        [".avif"] = (MediaKind.Image, "image/avif"),
        [".heic"] = (MediaKind.Image, "image/heic"),
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static string ForPath(string path) => s_byExtension.TryGetValue(Path.GetExtension(path), out var known) ? known.Type : Unknown;

    /// <summary>The path's extension when it is a known one of <paramref name="kind"/>, else <see langword="null"/>.</summary>
    public static string? KnownExtension(string path, MediaKind kind)
    {
        var extension = Path.GetExtension(path);
        return s_byExtension.TryGetValue(extension, out var known) && known.Kind == kind ? extension.ToLowerInvariant() : null;
    }
}
