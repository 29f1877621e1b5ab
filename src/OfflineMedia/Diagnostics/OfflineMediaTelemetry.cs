using System.Diagnostics;
using System.Diagnostics.Metrics;
using OfflineMedia.Cache;
using OfflineMedia.Sync;
using OfflineMedia.Variants;

namespace OfflineMedia.Diagnostics;

/// <summary>
/// The SDK's instruments, from the host's <see cref="IMeterFactory"/> (so tests and hosts each see their own),
/// and its activity source. One per service provider, disposed with it.
/// </summary>
internal sealed class OfflineMediaTelemetry : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _downloadedBytes;
    private readonly Counter<long> _downloadFailures;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _evictions;
    private readonly Histogram<double> _syncDuration;

    public OfflineMediaTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(OfflineMediaDiagnostics.MeterName);
        _downloadedBytes = _meter.CreateCounter<long>(OfflineMediaDiagnostics.DownloadedBytes, "By", "Media bytes downloaded.");
        _downloadFailures = _meter.CreateCounter<long>(OfflineMediaDiagnostics.DownloadFailures, "{download}", "Downloads that failed.");
        _hits = _meter.CreateCounter<long>(OfflineMediaDiagnostics.CacheHits, "{lookup}", "Cache lookups that found a verified file.");
        _misses = _meter.CreateCounter<long>(OfflineMediaDiagnostics.CacheMisses, "{lookup}", "Cache lookups that found nothing.");
        _evictions = _meter.CreateCounter<long>(OfflineMediaDiagnostics.Evictions, "{file}", "Files evicted from the cache.");
        _syncDuration = _meter.CreateHistogram<double>(OfflineMediaDiagnostics.SyncDuration, "s", "Duration of syncs.");
    }

    public ActivitySource ActivitySource { get; } = new(OfflineMediaDiagnostics.ActivitySourceName);

    public void Downloaded(MediaKind kind, long bytes) => _downloadedBytes.Add(bytes, Kind(kind));

    public void DownloadFailed(MediaKind kind, MediaCacheError error) =>
        _downloadFailures.Add(1, Kind(kind), new KeyValuePair<string, object?>("error.type", error.ToString()));

    public void Lookup(MediaKind kind, bool hit) => (hit ? _hits : _misses).Add(1, Kind(kind));

    public void Evicted(int count)
    {
        if (count > 0)
        {
            _evictions.Add(count);
        }
    }

    public void SyncFinished(SyncOutcome outcome, TimeSpan duration) =>
        _syncDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("sync.outcome", outcome.ToString()));

    public void Dispose()
    {
        ActivitySource.Dispose();
        _meter.Dispose();
    }

    private static KeyValuePair<string, object?> Kind(MediaKind kind) => new("media.kind", kind == MediaKind.Image ? "image" : "video");
}
