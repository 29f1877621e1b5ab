namespace OfflineMedia.Sync.Internal;

/// <summary>How a sync was asked for: the options it runs with, whether a user asked (not a schedule), and when it started (its time limit counts from then).</summary>
internal sealed record SyncRequest(OfflineMediaOptions Options, bool Explicit, DateTimeOffset Started);
