namespace OfflineMedia.Testing.Internal;

/// <summary>Path building and comparison shared by the catalog, the fault registry and the request log.</summary>
internal static class OriginPaths
{
    public const string ImagesSegment = "images";
    public const string VideosSegment = "videos";

    public static string KindSegment(FakeMediaKind kind) => kind == FakeMediaKind.Image ? ImagesSegment : VideosSegment;

    public static bool TryParseKind(string segment, out FakeMediaKind kind)
    {
        switch (segment)
        {
            case ImagesSegment:
                kind = FakeMediaKind.Image;
                return true;
            case VideosSegment:
                kind = FakeMediaKind.Video;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    /// <summary>The comparable form of a path: absolute URLs by their path, query and fragment dropped, escapes decoded.</summary>
    public static string Normalize(string path)
    {
        if (path.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (Uri.TryCreate(path, UriKind.Absolute, out var uri))
            {
                path = uri.AbsolutePath;
            }
        }

        var end = path.AsSpan().IndexOfAny('?', '#');
        if (end >= 0)
        {
            path = path[..end];
        }

        return Uri.UnescapeDataString(path);
    }

    /// <summary>Splits a raw request target's path into decoded segments (so an escaped <c>/</c> stays inside its segment).</summary>
    public static string[] Segments(string rawPath)
    {
        var end = rawPath.AsSpan().IndexOfAny('?', '#');
        if (end >= 0)
        {
            rawPath = rawPath[..end];
        }

        var parts = rawPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = Uri.UnescapeDataString(parts[i]);
        }

        return parts;
    }
}
