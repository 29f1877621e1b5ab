using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using OfflineMedia.Cache.Internal;
using OfflineMedia.Internal.Sqlite;

namespace OfflineMedia.Catalog.Internal;

/// <summary>
/// The catalog's answers, kept in <c>catalog.db</c> beside the cache with their validators and freshness, so the next
/// ask is conditional (a 304 costs no body) or, while fresh, not sent at all, across restarts. Keyed by the SHA-256 of
/// the URL: the file keeps no URL, so no token a query may carry.
/// </summary>
/// <remarks>
/// A sync asks for one answer per exercise, thousands at a time, so neither a look-up nor a save may cost a transaction
/// of its own on the request's path: look-ups use pooled read connections with their statement prepared, and saves are
/// queued and written behind, everything queued in one transaction, by one writer at a time (a group commit). A queued
/// answer is found before it is written; what is queued is written before the store closes. A process killed before
/// that loses only answers, which cost a full request next time.
/// </remarks>
internal sealed class CatalogResponseStore : IDisposable
{
    /// <summary>Forward migrations: script N takes the schema from version N to N + 1. Append, never edit.</summary>
    private static readonly SqliteMigrations s_schema = new("catalog's stored answers", [
        """
        CREATE TABLE responses (
            url_hash TEXT PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            fresh_until INTEGER,
            stored_at INTEGER NOT NULL,
            body BLOB NOT NULL) WITHOUT ROWID;
        """,
    ]);

    /// <summary>Stands in the queue for a key whose answer is to be deleted.</summary>
    private static readonly StoredResponse s_removed = new(null, null, null, 0, []);

    private readonly SqliteStore _store;
    private readonly SqliteReaderPool<PreparedReader> _readers;
    private readonly Action<Exception> _writeFailed;

    /// <summary>Answers not written yet, by key; <see cref="s_removed"/> for a key to delete.</summary>
    private readonly ConcurrentDictionary<string, StoredResponse> _queued = new(StringComparer.Ordinal);

    /// <summary>Held by the one writer of the queue, and by the close.</summary>
    private readonly object _writeGate = new();
    private int _writerScheduled;

    /// <param name="path">The file, in the cache folder.</param>
    /// <param name="writeFailed">Told of a queued write that failed: its answers are dropped, the next ones tried again.</param>
    public CatalogResponseStore(string path, Action<Exception> writeFailed)
    {
        // In the cache folder: claimed first (never a folder of someone else's files), never written through a link.
        var fileSystem = new System.IO.Abstractions.FileSystem();
        CacheOwnership.Claim(fileSystem, new CachePaths(fileSystem, Path.GetDirectoryName(Path.GetFullPath(path))!), NullLogger.Instance);
        foreach (var suffix in (string[])["", "-wal", "-shm", "-journal"])
        {
            CachePaths.RemoveLinkBeforeWrite(fileSystem, path + suffix);
        }

        _store = SqliteStore.Open(path, s_schema);
        _readers = new SqliteReaderPool<PreparedReader>(_store, static connection => new PreparedReader(
            connection, "SELECT etag, last_modified, fresh_until, stored_at, body FROM responses WHERE url_hash = $url", ("$url", SqliteType.Text)));
        _writeFailed = writeFailed;
    }

    public StoredResponse? Find(string urlHash)
    {
        if (_queued.TryGetValue(urlHash, out var queued))
        {
            return ReferenceEquals(queued, s_removed) ? null : queued;
        }

        using var rented = _readers.Rent();
        var find = rented.Reader.Find;
        find.Parameters[0].Value = urlHash;
        using var rows = find.ExecuteReader();
        return rows.Read()
            ? new StoredResponse(
                rows.IsDBNull(0) ? null : rows.GetString(0),
                rows.IsDBNull(1) ? null : rows.GetString(1),
                rows.IsDBNull(2) ? null : rows.GetInt64(2),
                rows.GetInt64(3),
                (byte[])rows.GetValue(4))
            : null;
    }

    /// <summary>Keeps <paramref name="response"/> as the answer of its URL: a new one, or one a 304 confirmed.</summary>
    public void Save(string urlHash, StoredResponse response) => Queue(urlHash, response);

    /// <summary>Forgets the answer of a URL that no longer has one (a 404, say).</summary>
    public void Remove(string urlHash) => Queue(urlHash, s_removed);

    /// <summary>Writes what is queued, then closes.</summary>
    public void Dispose()
    {
        lock (_writeGate)
        {
            if (_store.IsDisposed)
            {
                return;
            }

            try
            {
                WriteQueued();
            }
            catch (Exception ex) when (ex is SqliteException or IOException)
            {
                _writeFailed(ex);
            }
            finally
            {
                _store.Dispose();
                _readers.Clear();
            }
        }
    }

    private void Queue(string urlHash, StoredResponse response)
    {
        ObjectDisposedException.ThrowIf(_store.IsDisposed, this);
        _queued[urlHash] = response;
        if (Interlocked.Exchange(ref _writerScheduled, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static store => store.WriteBehind(), this, preferLocal: false);
        }
    }

    /// <summary>The queue's writer: writes what is queued, and again if more came meanwhile, until the queue is empty.</summary>
    private void WriteBehind()
    {
        do
        {
            lock (_writeGate)
            {
                Volatile.Write(ref _writerScheduled, 0); // Queued from here on: written by this pass or by a new writer.
                if (_store.IsDisposed)
                {
                    return; // The close wrote what was queued.
                }

                try
                {
                    WriteQueued();
                }
                catch (Exception ex)
                {
                    // On a pool thread, for answers that only save requests: reported, never thrown at the app.
                    _queued.Clear(); // Dropped: the catalog is asked in full for them, as without stored answers.
                    _writeFailed(ex);
                }
            }
        }
        while (!_queued.IsEmpty && Interlocked.Exchange(ref _writerScheduled, 1) == 0);
    }

    /// <summary>Writes everything queued in one transaction, then takes from the queue what was written and not replaced since.</summary>
    private void WriteQueued()
    {
        var batch = _queued.ToArray();
        if (batch.Length == 0)
        {
            return;
        }

        using (var writer = _store.Write())
        {
            using var transaction = writer.BeginTransaction();
            using var upsert = SqliteStore.Command(
                writer.Connection,
                """
                INSERT OR REPLACE INTO responses (url_hash, etag, last_modified, fresh_until, stored_at, body)
                VALUES ($url, $etag, $modified, $fresh, $stored, $body)
                """,
                transaction);
            var url = upsert.Parameters.Add("$url", SqliteType.Text);
            var etag = upsert.Parameters.Add("$etag", SqliteType.Text);
            var modified = upsert.Parameters.Add("$modified", SqliteType.Text);
            var fresh = upsert.Parameters.Add("$fresh", SqliteType.Integer);
            var stored = upsert.Parameters.Add("$stored", SqliteType.Integer);
            var body = upsert.Parameters.Add("$body", SqliteType.Blob);
            using var delete = SqliteStore.Command(writer.Connection, "DELETE FROM responses WHERE url_hash = $url", transaction);
            var deleted = delete.Parameters.Add("$url", SqliteType.Text);
            foreach (var (key, response) in batch)
            {
                if (ReferenceEquals(response, s_removed))
                {
                    deleted.Value = key;
                    delete.ExecuteNonQuery();
                    continue;
                }

                url.Value = key;
                etag.Value = (object?)response.ETag ?? DBNull.Value;
                modified.Value = (object?)response.LastModified ?? DBNull.Value;
                fresh.Value = (object?)response.FreshUntil ?? DBNull.Value;
                stored.Value = response.StoredAt;
                body.Value = response.Body;
                upsert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        foreach (var written in batch)
        {
            _queued.TryRemove(written); // Only if not replaced meanwhile: a newer answer stays queued.
        }
    }
}

/// <summary>A stored answer of the catalog: its validators, until when it is fresh (Unix ms, or unknown), when it was stored or last confirmed, and its body.</summary>
internal sealed record StoredResponse(string? ETag, string? LastModified, long? FreshUntil, long StoredAt, byte[] Body);
