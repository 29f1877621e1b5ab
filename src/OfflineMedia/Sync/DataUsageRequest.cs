namespace OfflineMedia.Sync;

/// <summary>A sync's request to download over cellular.</summary>
/// <param name="Files">The files it would download.</param>
/// <param name="EstimatedBytes">The bytes it expects to download.</param>
public sealed record DataUsageRequest(int Files, long EstimatedBytes);
