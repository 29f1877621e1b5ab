using OfflineMedia.Fleet.Devices;
using OfflineMedia.Fleet.Origins;
using OfflineMedia.Fleet.Traffic;
using OfflineMedia.Sync;

namespace OfflineMedia.Fleet;

/// <summary>What one phase cost the origin and the devices, from the origin's log, the devices' requests and their syncs.</summary>
internal sealed class PhaseResult
{
    private PhaseResult(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>Gets the devices whose scheduler ran a sync (a scheduled call that found nothing due does not count).</summary>
    public int DevicesSynced { get; private init; }

    public int ApiRequests { get; private init; }

    public long ApiBytes { get; private init; }

    public int MediaRequests { get; private init; }

    /// <summary>Gets the media answers that carried a body (200 or 206).</summary>
    public int MediaBodies { get; private init; }

    public int MediaNotModified { get; private init; }

    public long MediaBytes { get; private init; }

    public long TotalBytes => ApiBytes + MediaBytes;

    public int PeakInFlight { get; private init; }

    public TimeSpan? SyncP50 { get; private init; }

    public TimeSpan? SyncP99 { get; private init; }

    public TimeSpan RealTime { get; private init; }

    /// <summary>Gets the files the syncs downloaded, found cached, and failed.</summary>
    public (int Downloaded, int Cached, int Failed) Files { get; private init; }

    /// <summary>Gets the syncs that were not complete, with the first reason.</summary>
    public (int Count, string? FirstReason) Incomplete { get; private init; }

    /// <summary>Gets the scheduled calls that found nothing due, and the requests they sent.</summary>
    public (int Calls, int Requests, long Bytes) IdleChecks { get; private init; }

    /// <summary>Gets the minutes (device time) from the first to the last request of a sync that ran; null when no scheduled sync ran.</summary>
    public (DateTimeOffset First, DateTimeOffset Last)? Window { get; private init; }

    public int PeakSyncStartsPerMinute { get; private init; }

    public int PeakSyncRequestsPerMinute { get; private init; }

    public double MeanSyncRequestsPerMinute { get; private init; }

    public int PeakRequestsPerMinuteAll { get; private init; }

    /// <summary>Gets the requests the devices sent (to check against the origin's count).</summary>
    public int ClientRequests { get; private init; }

    public static PhaseResult From(
        string name, IReadOnlyList<OriginHit> hits, IReadOnlyList<ClientRequest> requests, int peakInFlight, IReadOnlyList<SyncRecord> syncs, TimeSpan realTime)
    {
        var ran = syncs.Where(s => s.Report is not null).ToList();
        var durations = ran.Select(s => s.Elapsed).Order().ToList();
        var reports = ran.Select(s => s.Report!).ToList();
        var incomplete = reports.Where(r => r.Outcome != SyncOutcome.Complete).ToList();
        var idle = requests.Where(r => r.Sync is { Ran: false }).ToList();
        var syncRequests = requests.Where(r => r.Sync is { Ran: true, Scheduled: true }).ToList();
        var perMinute = syncRequests.GroupBy(r => Minute(r.At)).Select(g => g.Count()).ToList();
        return new PhaseResult(name)
        {
            DevicesSynced = ran.Select(s => s.Device).Distinct().Count(),
            ApiRequests = hits.Count(h => !h.IsMedia),
            ApiBytes = hits.Where(h => !h.IsMedia).Sum(h => h.BodyBytes),
            MediaRequests = hits.Count(h => h.IsMedia),
            MediaBodies = hits.Count(h => h is { IsMedia: true, Status: 200 or 206 }),
            MediaNotModified = hits.Count(h => h is { IsMedia: true, Status: 304 }),
            MediaBytes = hits.Where(h => h.IsMedia).Sum(h => h.BodyBytes),
            PeakInFlight = peakInFlight,
            SyncP50 = Percentile(durations, 0.50),
            SyncP99 = Percentile(durations, 0.99),
            RealTime = realTime,
            Files = (reports.Sum(r => r.Downloaded), reports.Sum(r => r.Cached), reports.Sum(r => r.Failed)),
            Incomplete = (incomplete.Count + syncs.Count(s => s.Error is not null),
                incomplete.FirstOrDefault()?.Reason ?? syncs.FirstOrDefault(s => s.Error is not null)?.Error?.Message),
            IdleChecks = (syncs.Count(s => s is { Scheduled: true, Report: null, Error: null }), idle.Count, idle.Sum(r => r.Bytes)),
            Window = syncRequests.Count == 0 ? null : (Minute(syncRequests.Min(r => r.At)), Minute(syncRequests.Max(r => r.At))),
            PeakSyncStartsPerMinute = ran.Where(s => s.Scheduled).GroupBy(s => Minute(s.StartedAt)).Select(g => g.Count()).DefaultIfEmpty().Max(),
            PeakSyncRequestsPerMinute = perMinute.DefaultIfEmpty().Max(),
            MeanSyncRequestsPerMinute = syncRequests.Count == 0 ? 0
                : syncRequests.Count / ((Minute(syncRequests.Max(r => r.At)) - Minute(syncRequests.Min(r => r.At))).TotalMinutes + 1),
            PeakRequestsPerMinuteAll = requests.GroupBy(r => Minute(r.At)).Select(g => g.Count()).DefaultIfEmpty().Max(),
            ClientRequests = requests.Count,
        };
    }

    private static DateTimeOffset Minute(DateTimeOffset at) => new(at.Ticks - (at.Ticks % TimeSpan.TicksPerMinute), at.Offset);

    private static TimeSpan? Percentile(List<TimeSpan> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
