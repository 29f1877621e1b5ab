namespace OfflineMedia.Internal.Sqlite;

/// <summary>
/// Loads SQLite on the thread pool, once per service provider (<see cref="SqliteStore.LoadInBackground"/>): 15 to 40 ms
/// of assemblies, native library and interop that the cache's first open, often for the app's first screen, would
/// otherwise wait for. It starts as the host starts (<c>CacheWarmUp</c>), or when the cache is created, whichever comes
/// first: two loads at once would hold both of a phone's pool threads. Touches no file.
/// </summary>
internal sealed class SqliteWarmUp
{
    private int _started;

    /// <summary>Starts the load, unless it has started already.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            SqliteStore.LoadInBackground();
        }
    }
}
