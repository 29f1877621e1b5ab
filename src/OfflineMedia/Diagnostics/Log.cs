using Microsoft.Extensions.Logging;
using OfflineMedia.Internal;

namespace OfflineMedia.Diagnostics;

/// <summary>
/// Every log message of the SDK, with stable event ids. Never a signed URL's query, a password or a token. Text from the
/// network (ids, reasons, URLs) goes through <see cref="SafeText"/> and <see cref="SafeUrl"/> in the public methods here,
/// so a hostile id cannot write terminal escapes to a console; keys escape themselves (<c>MediaKey.ToString</c>).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Could not read the free storage at '{Path}'; it counts as none until it can be read.")]
    public static partial void StorageProbeFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(2, LogLevel.Warning, "Could not delete the partial file of {Key}; the next open of the cache removes it.")]
    public static partial void PartialFileNotDeleted(ILogger logger, OfflineMedia.Cache.MediaKey key, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "Could not save what is needed to resume a download; if it is interrupted it starts over.")]
    public static partial void ResumeStateNotWritten(ILogger logger, Exception exception);

    public static void Downloaded(ILogger logger, OfflineMedia.Cache.MediaKey key, long bytes, string url, double elapsedMs) =>
        DownloadedCore(logger, key, bytes, SafeUrl.Redact(url), elapsedMs);

    [LoggerMessage(EventId = 10, EventName = nameof(Downloaded), Level = LogLevel.Information, Message = "Downloaded {Key}: {Bytes} bytes from {Url} in {ElapsedMs:0} ms.")]
    private static partial void DownloadedCore(ILogger logger, OfflineMedia.Cache.MediaKey key, long bytes, string url, double elapsedMs);

    [LoggerMessage(11, LogLevel.Debug, "{Key} is unchanged on the server (304); kept the cached file.")]
    public static partial void Revalidated(ILogger logger, OfflineMedia.Cache.MediaKey key);

    [LoggerMessage(12, LogLevel.Warning, "The file of {Key} is missing or of the wrong size; its entry was dropped.")]
    public static partial void EntryFileMissing(ILogger logger, OfflineMedia.Cache.MediaKey key);

    [LoggerMessage(13, LogLevel.Information, "Evicted {Count} files ({Bytes} bytes); the cache holds {Remaining} bytes for a budget of {Budget}.")]
    public static partial void Evicted(ILogger logger, int count, long bytes, long remaining, long budget);

    [LoggerMessage(14, LogLevel.Warning, "Pinned media alone take {Remaining} bytes, over the cache budget of {Budget}.")]
    public static partial void PinnedOverBudget(ILogger logger, long remaining, long budget);

    [LoggerMessage(15, LogLevel.Information, "Cleared {Count} files from the cache (pinned kept: {KeepPinned}).")]
    public static partial void CacheCleared(ILogger logger, int count, bool keepPinned);

    [LoggerMessage(16, LogLevel.Warning, "Could not delete '{Path}'; the next open of the cache removes it.")]
    public static partial void FileNotDeleted(ILogger logger, string path, Exception exception);

    [LoggerMessage(17, LogLevel.Warning, "The cache index '{Path}' could not be read; it was moved to '{Aside}' and rebuilt, and files it listed are removed.")]
    public static partial void IndexRebuilt(ILogger logger, string path, string aside, Exception exception);

    [LoggerMessage(18, LogLevel.Debug, "Removed the stale partial file '{File}'.")]
    public static partial void PartialFileRemoved(ILogger logger, string file);

    [LoggerMessage(19, LogLevel.Information, "Repaired the cache after an unclean close: dropped {Rows} entries without a valid file, removed {Orphans} files without an entry.")]
    public static partial void Repaired(ILogger logger, int rows, int orphans);

    [LoggerMessage(30, LogLevel.Information, "Sync finished {Outcome}: {Downloaded} downloaded, {Cached} cached, {Skipped} left out, {Failed} failed; {Bytes} bytes in {ElapsedMs:0} ms.")]
    public static partial void SyncFinished(ILogger logger, OfflineMedia.Sync.SyncOutcome outcome, int downloaded, int cached, int skipped, int failed, long bytes, double elapsedMs);

    public static void SyncSkipped(ILogger logger, string reason) =>
        SyncSkippedCore(logger, SafeText.Escape(reason));

    [LoggerMessage(EventId = 31, EventName = nameof(SyncSkipped), Level = LogLevel.Information, Message = "Sync skipped: {Reason}.")]
    private static partial void SyncSkippedCore(ILogger logger, string reason);

    public static void SyncFailed(ILogger logger, string reason) =>
        SyncFailedCore(logger, SafeText.Escape(reason));

    [LoggerMessage(EventId = 32, EventName = nameof(SyncFailed), Level = LogLevel.Warning, Message = "Sync failed: {Reason}")]
    private static partial void SyncFailedCore(ILogger logger, string reason);

    public static void ScheduledSyncNotAllowed(ILogger logger, string reason) =>
        ScheduledSyncNotAllowedCore(logger, SafeText.Escape(reason));

    [LoggerMessage(EventId = 33, EventName = nameof(ScheduledSyncNotAllowed), Level = LogLevel.Debug, Message = "Scheduled sync not run: {Reason}.")]
    private static partial void ScheduledSyncNotAllowedCore(ILogger logger, string reason);

    [LoggerMessage(34, LogLevel.Debug, "Scheduled sync: none of the {Count} upcoming workouts is due.")]
    public static partial void NothingDue(ILogger logger, int count);

    [LoggerMessage(35, LogLevel.Warning, "Not enough storage: the sync needs {Needed} bytes, {Room} are available; {LeftOut} files left out.")]
    public static partial void NotEnoughStorage(ILogger logger, long needed, long room, int leftOut);

    [LoggerMessage(36, LogLevel.Information, "Sync paused at {Key}: the allowed network is gone; waiting for it to come back.")]
    public static partial void SyncPaused(ILogger logger, OfflineMedia.Cache.MediaKey key);

    public static void ItemFailed(ILogger logger, OfflineMedia.Cache.MediaKey key, int attempts, string reason) =>
        ItemFailedCore(logger, key, attempts, SafeText.Escape(reason));

    [LoggerMessage(EventId = 37, EventName = nameof(ItemFailed), Level = LogLevel.Warning, Message = "{Key} failed after {Attempts} attempts: {Reason}")]
    private static partial void ItemFailedCore(ILogger logger, OfflineMedia.Cache.MediaKey key, int attempts, string reason);

    public static void Retrying(ILogger logger, OfflineMedia.Cache.MediaKey key, int attempt, double delayMs, string reason) =>
        RetryingCore(logger, key, attempt, delayMs, SafeText.Escape(reason));

    [LoggerMessage(EventId = 38, EventName = nameof(Retrying), Level = LogLevel.Information, Message = "{Key}: attempt {Attempt} failed, retrying in {DelayMs:0} ms: {Reason}")]
    private static partial void RetryingCore(ILogger logger, OfflineMedia.Cache.MediaKey key, int attempt, double delayMs, string reason);

    public static void RetryWorkoutUnavailable(ILogger logger, string workoutId, string reason) =>
        RetryWorkoutUnavailableCore(logger, SafeText.Escape(workoutId), SafeText.Escape(reason));

    [LoggerMessage(EventId = 39, EventName = nameof(RetryWorkoutUnavailable), Level = LogLevel.Warning, Message = "Retry: workout '{WorkoutId}' could not be read: {Reason}")]
    private static partial void RetryWorkoutUnavailableCore(ILogger logger, string workoutId, string reason);

    [LoggerMessage(40, LogLevel.Warning, "The sync state '{Path}' could not be read; it was rebuilt.")]
    public static partial void SyncStateRebuilt(ILogger logger, string path, Exception exception);

    [LoggerMessage(41, LogLevel.Error, "The background sync failed; the loop goes on.")]
    public static partial void BackgroundSyncFailed(ILogger logger, Exception exception);

    public static void ResolveRemoteFailed(ILogger logger, string exerciseId, string reason) =>
        ResolveRemoteFailedCore(logger, SafeText.Escape(exerciseId), SafeText.Escape(reason));

    [LoggerMessage(EventId = 50, EventName = nameof(ResolveRemoteFailed), Level = LogLevel.Warning, Message = "Could not look up the media of exercise '{ExerciseId}' to stream it: {Reason}")]
    private static partial void ResolveRemoteFailedCore(ILogger logger, string exerciseId, string reason);

    [LoggerMessage(60, LogLevel.Warning, "The saved settings '{Path}' could not be read; the app's defaults apply.")]
    public static partial void SettingsUnreadable(ILogger logger, string path, Exception exception);

    public static void UpcomingWorkoutRefused(ILogger logger, int index, string reason) =>
        UpcomingWorkoutRefusedCore(logger, index, SafeText.Escape(reason));

    [LoggerMessage(EventId = 42, EventName = nameof(UpcomingWorkoutRefused), Level = LogLevel.Warning, Message = "Upcoming workout #{Index} was left out: {Reason}")]
    private static partial void UpcomingWorkoutRefusedCore(ILogger logger, int index, string reason);

    [LoggerMessage(21, LogLevel.Warning, "Could not flush '{Path}' to disk; the next open of the cache checks it against its digest.")]
    public static partial void FileNotFlushed(ILogger logger, string path, Exception exception);

    [LoggerMessage(22, LogLevel.Warning, "Could not record {Count} files as flushed to disk; the next open of the cache checks them against their digests.")]
    public static partial void FlushedFilesNotRecorded(ILogger logger, int count, Exception exception);

    [LoggerMessage(20, LogLevel.Warning, "Could not write the batched access times; they are kept and written with the next batch.")]
    public static partial void AccessTimesNotWritten(ILogger logger, Exception exception);

    [LoggerMessage(320, LogLevel.Warning, "Could not drop the entries whose files are missing; they are reported missing and dropped on a later lookup.")]
    public static partial void BrokenEntriesNotDropped(ILogger logger, Exception exception);

    [LoggerMessage(200, LogLevel.Information, "Adopted the cache folder '{Path}', written by an earlier version of OfflineMedia, and marked it as the cache's own.")]
    public static partial void CacheFolderAdopted(ILogger logger, string path);

    [LoggerMessage(201, LogLevel.Warning, "Removed the link '{Path}' found in the cache folder; what it pointed to was left alone.")]
    public static partial void LinkRemoved(ILogger logger, string path);

    [LoggerMessage(202, LogLevel.Warning, "Left '{Path}' in the cache folder alone: the cache did not create it, so it neither follows nor deletes it.")]
    public static partial void ForeignEntryLeft(ILogger logger, string path);

    [LoggerMessage(220, LogLevel.Warning, "{Key}: the server's answer to a resumed download does not fit the partial file ({Reason}); it is downloaded again from the start.")]
    public static partial void ResumeRestarted(ILogger logger, OfflineMedia.Cache.MediaKey key, string reason);

    [LoggerMessage(221, LogLevel.Warning, "{Key} was not done when the sync reached its time limit of {Timeout}; its partial file is kept for the next sync.")]
    public static partial void SyncTimedOut(ILogger logger, OfflineMedia.Cache.MediaKey key, TimeSpan timeout);

    [LoggerMessage(240, LogLevel.Warning, "The exercise id '{ExerciseId}' cannot be cached ({Problem}); its files fail and the other exercises sync.")]
    public static partial void ExerciseIdRefused(ILogger logger, string exerciseId, string problem);

    [LoggerMessage(241, LogLevel.Debug, "Planned {Files} files for {Workouts} workouts and {Exercises} exercises in {PlanMilliseconds:0} ms; their plans were saved in {SaveMilliseconds:0} ms.")]
    public static partial void Planned(ILogger logger, int files, int workouts, int exercises, double planMilliseconds, double saveMilliseconds);

    [LoggerMessage(260, LogLevel.Information, "{Key} is being downloaded by another instance of the cache (in this process or another); waiting for it instead of downloading it twice.")]
    public static partial void WaitingForAnotherInstance(ILogger logger, OfflineMedia.Cache.MediaKey key);

    [LoggerMessage(261, LogLevel.Information, "Another instance of the cache has the folder '{Path}' open: the repair on open is left to the last one, so the other's downloads in progress are kept.")]
    public static partial void RepairLeftToTheLastInstance(ILogger logger, string path);

    [LoggerMessage(262, LogLevel.Warning, "The file system of '{Path}' does not lock files: the cache cannot share this folder with another process, and refuses a second instance.")]
    public static partial void FileLocksUnsupported(ILogger logger, string path);

    [LoggerMessage(263, LogLevel.Warning, "Could not delete the files of entries removed earlier; the next eviction or open tries again.")]
    public static partial void RetiredFilesNotDeleted(ILogger logger, Exception exception);

    [LoggerMessage(264, LogLevel.Warning, "Could not end the download lease on {Key}; another instance of the cache waiting for it takes it over once this one closes.")]
    public static partial void LeaseNotEnded(ILogger logger, OfflineMedia.Cache.MediaKey key, Exception exception);

    [LoggerMessage(265, LogLevel.Warning, "The media cache in '{Path}' could not be opened as the app started; its first use tries again.")]
    public static partial void CacheNotOpenedAhead(ILogger logger, string path, Exception exception);

    [LoggerMessage(266, LogLevel.Warning, "The media cache could not be created as the app started; its first use tries again.")]
    public static partial void CacheNotCreatedAhead(ILogger logger, Exception exception);

    [LoggerMessage(290, LogLevel.Information, "The local media server listens on http://127.0.0.1:{Port}/.")]
    public static partial void LocalServerStarted(ILogger logger, int port);

    [LoggerMessage(291, LogLevel.Debug, "Port {Port} was taken before the local media server could listen on it; trying another.")]
    public static partial void LocalServerPortTaken(ILogger logger, int port);

    [LoggerMessage(292, LogLevel.Warning, "The local media server could not open {Media}: it answered {StatusCode}, and goes on serving.")]
    public static partial void LocalServerOpenFailed(ILogger logger, string media, int statusCode, Exception exception);

    [LoggerMessage(293, LogLevel.Debug, "A player stopped reading {Media} from the local media server after {Sent} of {Bytes} bytes.")]
    public static partial void LocalServerClientGone(ILogger logger, string media, long sent, long bytes);

    [LoggerMessage(294, LogLevel.Warning, "The local media server cut {Media} short after {Sent} of {Bytes} bytes: the media could not be read further.")]
    public static partial void LocalServerReadFailed(ILogger logger, string media, long sent, long bytes, Exception exception);

    [LoggerMessage(295, LogLevel.Debug, "The local media server refused a request with {StatusCode}: {Why}.")]
    public static partial void LocalServerRefused(ILogger logger, int statusCode, string why);

    [LoggerMessage(296, LogLevel.Error, "A request to the local media server failed; the server goes on serving.")]
    public static partial void LocalServerRequestFailed(ILogger logger, Exception exception);

    [LoggerMessage(297, LogLevel.Error, "The local media server stopped accepting requests; the next URL asked for starts it again, on another port.")]
    public static partial void LocalServerAcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(250, LogLevel.Warning, "The catalog's stored answers '{Path}' cannot be used; the catalog is asked in full until they can.")]
    public static partial void CatalogResponsesUnavailable(ILogger logger, string path, Exception exception);

    public static void ServerPaused(ILogger logger, string server, int status, double pauseMs) =>
        ServerPausedCore(logger, SafeText.Escape(server), status, pauseMs);

    [LoggerMessage(EventId = 270, EventName = nameof(ServerPaused), Level = LogLevel.Information, Message = "{Server} answered {Status} with Retry-After: no request of this sync to it starts for {PauseMs:0} ms.")]
    private static partial void ServerPausedCore(ILogger logger, string server, int status, double pauseMs);
}
