using System.Diagnostics;
using OfflineMedia.Diagnostics;
using OfflineMedia.Internal;
using OfflineMedia.Variants;

namespace OfflineMedia.Cache.Internal;

/// <summary>The trace of one download: what it fetches, and how it ended.</summary>
internal static class DownloadTrace
{
    /// <summary>Starts the download's activity when someone listens, tagged with the key and the URL's path.</summary>
    public static Activity? Start(OfflineMediaTelemetry telemetry, MediaKey key, string url)
    {
        var activity = telemetry.ActivitySource.StartActivity(OfflineMediaDiagnostics.DownloadActivity);
        activity?.SetTag("exercise.id", key.ExerciseId);
        activity?.SetTag("media.kind", key.Kind == MediaKind.Image ? "image" : "video");
        activity?.SetTag("media.variant", key.Variant);
        activity?.SetTag("url.path", UrlPath(url));
        return activity;
    }

    /// <summary>The path of a media URL, for traces: never its host's query, where signed URLs carry tokens.</summary>
    private static string UrlPath(string url) =>
        !url.StartsWith('/') && Uri.TryCreate(url, UriKind.Absolute, out var absolute) ? absolute.AbsolutePath : SafeUrl.Redact(url);
}
