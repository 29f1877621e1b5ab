using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OfflineMedia.Cache;
using OfflineMedia.Diagnostics;
using OfflineMedia.Internal;

namespace OfflineMedia.Catalog.Internal;

/// <summary>
/// The catalog's stored answers (<see cref="CatalogResponseStore"/>), opened on first use. They only save requests: when
/// the file cannot be opened or written, the catalog is asked in full, as without them, and the next use tries again.
/// </summary>
internal sealed class CatalogResponses(IOptionsMonitor<OfflineMediaOptions> options, ILogger<CatalogResponses> logger) : IDisposable
{
    private readonly object _gate = new();
    private CatalogResponseStore? _store;
    private bool _disposed;

    public StoredResponse? Find(Uri url) => Use(store => store.Find(Key(url)));

    public void Save(Uri url, StoredResponse response) => Use(store =>
    {
        store.Save(Key(url), response);
        return true;
    });

    public void Remove(Uri url) => Use(store =>
    {
        store.Remove(Key(url));
        return true;
    });

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _store?.Dispose();
            _store = null;
        }
    }

    /// <summary>The key of a URL: its SHA-256, so the file keeps no URL, nor a token its query may carry.</summary>
    private static string Key(Uri url) => Hex.Lower(SHA256.HashData(Encoding.UTF8.GetBytes(url.AbsoluteUri)));

    private T? Use<T>(Func<CatalogResponseStore, T> use)
    {
        var path = Path.Combine(options.CurrentValue.CacheDirectory, "catalog.db");
        try
        {
            CatalogResponseStore store;
            lock (_gate)
            {
                if (_disposed)
                {
                    return default;
                }

                store = _store ??= new CatalogResponseStore(path, ex => Log.CatalogResponsesUnavailable(logger, path, ex));
            }

            return use(store);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or MediaCacheException or ObjectDisposedException)
        {
            Log.CatalogResponsesUnavailable(logger, path, ex);
            return default;
        }
    }
}
