namespace OfflineMedia.Diagnostics;

/// <summary>
/// The names under which the SDK reports metrics and traces, to subscribe to with OpenTelemetry
/// (<c>AddMeter(OfflineMediaDiagnostics.MeterName)</c>, <c>AddSource(OfflineMediaDiagnostics.ActivitySourceName)</c>)
/// or <c>MetricCollector&lt;T&gt;</c> in tests. No URL query, token or signed URL is ever recorded.
/// </summary>
public static class OfflineMediaDiagnostics
{
    /// <summary>The name of the meter.</summary>
    public const string MeterName = "OfflineMedia";

    /// <summary>The name of the activity source.</summary>
    public const string ActivitySourceName = "OfflineMedia";

    /// <summary>Counter of media bytes downloaded (unit <c>By</c>); tag <c>media.kind</c>.</summary>
    public const string DownloadedBytes = "offline_media.download.bytes";

    /// <summary>Counter of downloads that failed; tags <c>media.kind</c> and <c>error.type</c> (a <see cref="Cache.MediaCacheError"/> name).</summary>
    public const string DownloadFailures = "offline_media.download.failures";

    /// <summary>Counter of cache lookups that found a verified file; tag <c>media.kind</c>.</summary>
    public const string CacheHits = "offline_media.cache.hits";

    /// <summary>Counter of cache lookups that found nothing; tag <c>media.kind</c>.</summary>
    public const string CacheMisses = "offline_media.cache.misses";

    /// <summary>Counter of files evicted from the cache.</summary>
    public const string Evictions = "offline_media.cache.evictions";

    /// <summary>Histogram of sync durations (unit <c>s</c>); tag <c>sync.outcome</c>.</summary>
    public const string SyncDuration = "offline_media.sync.duration";

    /// <summary>The activity of one sync; tags <c>sync.outcome</c> and the file counts.</summary>
    public const string SyncActivity = "offline_media.sync";

    /// <summary>The activity of one download; tags <c>media.kind</c>, <c>media.variant</c>, <c>exercise.id</c> and <c>url.path</c> (no query).</summary>
    public const string DownloadActivity = "offline_media.download";
}
