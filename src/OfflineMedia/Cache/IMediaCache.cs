namespace OfflineMedia.Cache;

/// <summary>
/// A durable cache of media files: an index in SQLite beside the files, downloads streamed and
/// verified before they are reported cached, a byte budget kept by evicting unpinned media least
/// recently used first, and repair after a crash. Every member is thread-safe.
/// </summary>
public interface IMediaCache
{
    /// <summary>Looks up a cached file, recording the access for eviction order. It never touches the network.</summary>
    /// <param name="key">The file's key.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The file, or <see langword="null"/> when it is not cached (or its file went missing, which drops the entry).</returns>
    /// <exception cref="MediaCacheException">The key is invalid (<see cref="MediaCacheError.InvalidKey"/>).</exception>
    ValueTask<CachedMedia?> TryGetAsync(MediaKey key, CancellationToken cancellationToken = default);

    /// <summary>Lists the cached files of one exercise, every kind and variant.</summary>
    /// <param name="exerciseId">The exercise id.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The files, possibly none.</returns>
    Task<IReadOnlyList<CachedMedia>> GetEntriesAsync(string exerciseId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns the cached file, or downloads it first: streamed to a temporary file, verified, then moved
    /// into place. Concurrent calls for one key share one download. A partial file left by a cancel, a
    /// dropped connection or a crash is resumed.
    /// </summary>
    /// <param name="key">The file's key.</param>
    /// <param name="source">Where to download it from and what to verify it against.</param>
    /// <param name="progress">Receives the bytes of this file received so far, resumed bytes included.</param>
    /// <param name="cancellationToken">Cancels this caller's wait; the download stops when no caller waits any more, keeping its partial file.</param>
    /// <returns>The complete, verified file.</returns>
    /// <exception cref="MediaCacheException">The file could not be provided; <see cref="MediaCacheException.Error"/> says why.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    Task<CachedMedia> GetOrDownloadAsync(MediaKey key, MediaSource source, IProgress<long>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks the server whether a cached file changed (<c>If-None-Match</c>/<c>If-Modified-Since</c>): on 304 the
    /// file is kept and its metadata refreshed; on 200 the new content replaces it once verified. A file
    /// not cached yet is downloaded.
    /// </summary>
    /// <param name="key">The file's key.</param>
    /// <param name="source">Where to ask and what to verify a new body against.</param>
    /// <param name="progress">Receives the bytes of a new body received so far.</param>
    /// <param name="cancellationToken">Cancels the refresh; the cached file stays as it was.</param>
    /// <returns>The file as cached after the refresh.</returns>
    /// <exception cref="MediaCacheException">The refresh failed; the cached file, if any, is unchanged.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    Task<CachedMedia> RevalidateAsync(MediaKey key, MediaSource source, IProgress<long>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Pins files so eviction never removes them, for example the media of upcoming workouts. Pins are
    /// grouped in named sets (a workout id, say), so unpinning one set leaves files that another set pins.
    /// A key may be pinned before its file is cached.
    /// </summary>
    /// <param name="pinSet">The name of the set.</param>
    /// <param name="keys">The keys to pin.</param>
    /// <param name="until">When the pins lapse by themselves.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the pins are stored.</returns>
    Task PinAsync(string pinSet, IEnumerable<MediaKey> keys, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>Removes pins of one set.</summary>
    /// <param name="pinSet">The name of the set.</param>
    /// <param name="keys">The keys to unpin, or <see langword="null"/> for the whole set.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the pins are removed.</returns>
    Task UnpinAsync(string pinSet, IEnumerable<MediaKey>? keys = null, CancellationToken cancellationToken = default);

    /// <summary>Measures what the cache holds, against its budget.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The usage.</returns>
    Task<CacheUsage> GetUsageAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Evicts unpinned files unused for longer than <see cref="OfflineMediaOptions.DaysToKeepMedia"/>, then, when the
    /// cache is over <paramref name="budgetBytes"/>, the least recently used unpinned files until it is down to 90%
    /// of the budget, so it does not thrash. Pinned files are never evicted.
    /// </summary>
    /// <param name="budgetBytes">The byte budget to trim to.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What was evicted; <see cref="TrimResult.WithinBudget"/> is <see langword="false"/> when pinned files alone exceed the budget.</returns>
    Task<TrimResult> TrimAsync(long budgetBytes, CancellationToken cancellationToken = default);

    /// <summary>Removes one file from the cache, pinned or not.</summary>
    /// <param name="key">The file's key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when a file was removed.</returns>
    Task<bool> RemoveAsync(MediaKey key, CancellationToken cancellationToken = default);

    /// <summary>Removes every file, or every unpinned file.</summary>
    /// <param name="keepPinned"><see langword="true"/> to keep pinned files (and their pins).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number of files removed.</returns>
    Task<int> ClearAsync(bool keepPinned = true, CancellationToken cancellationToken = default);
}
