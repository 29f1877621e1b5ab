namespace OfflineMedia.Benchmarks.Sync;

/// <summary>One setting of a paired sync: what the origin serves (files of one size), its added latency, how many at once.</summary>
/// <param name="Files">The number of files, one exercise each.</param>
/// <param name="FileBytes">The size of each file.</param>
/// <param name="LatencyMs">The latency the origin adds before each media response.</param>
/// <param name="Parallelism">The SDK's <c>MaxParallelDownloads</c>, and the limit's parallelism.</param>
/// <param name="ApiLatencyMs">The latency the origin adds before each API response (the workout, each exercise's media info).</param>
/// <param name="WarmupRounds">Rounds run and not counted (a fresh process spends its first syncs compiling).</param>
/// <param name="MeasuredRounds">Rounds counted.</param>
/// <param name="WithMediaInfoLimit">Whether each round also times the limit with the media-info requests (<see cref="PracticalLimit.DownloadWithMediaInfoAsync"/>).</param>
internal sealed record PairedSyncCase(int Files, long FileBytes, int LatencyMs, int Parallelism, int WarmupRounds, int MeasuredRounds, int ApiLatencyMs = 0, bool WithMediaInfoLimit = false);
