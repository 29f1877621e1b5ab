using OfflineMedia.Sync;

namespace OfflineMedia.Fleet.Devices;

/// <summary>One call of a device's scheduler: an explicit sync, or the scheduled loop's call.</summary>
/// <param name="Device">The device's number.</param>
/// <param name="Scheduled">Whether the scheduled loop called (<see cref="ISyncScheduler.RunScheduledAsync"/>).</param>
/// <param name="StartedAt">When it started, by the device's clock: for a scheduled call, the time the SDK's loop chose.</param>
/// <param name="Elapsed">How long it took, in real time.</param>
/// <param name="Report">The report; null when a scheduled call found nothing due or was not allowed.</param>
/// <param name="Error">What it threw, if it threw.</param>
internal sealed record SyncRecord(int Device, bool Scheduled, DateTimeOffset StartedAt, TimeSpan Elapsed, SyncReport? Report, Exception? Error);
