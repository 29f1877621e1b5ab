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

    private readonly SqliteStore _store;

    public CatalogResponseStore(string path)
    {
        // In the cache folder: claimed first (never a folder of someone else's files), never written through a link.
        var fileSystem = new System.IO.Abstractions.FileSystem();
        CacheOwnership.Claim(fileSystem, new CachePaths(fileSystem, Path.GetDirectoryName(Path.GetFullPath(path))!), NullLogger.Instance);
        foreach (var suffix in (string[])["", "-wal", "-shm", "-journal"])
        {
            CachePaths.RemoveLinkBeforeWrite(fileSystem, path + suffix);
        }

        _store = SqliteStore.Open(path, s_schema);
    }

    public StoredResponse? Find(string urlHash)
    {
        using var connection = _store.OpenReader();
        using var command = SqliteStore.Command(connection, "SELECT etag, last_modified, fresh_until, stored_at, body FROM responses WHERE url_hash = $url");
        command.Parameters.AddWithValue("$url", urlHash);
        using var rows = command.ExecuteReader();
        return rows.Read()
            ? new StoredResponse(
                rows.IsDBNull(0) ? null : rows.GetString(0),
                rows.IsDBNull(1) ? null : rows.GetString(1),
                rows.IsDBNull(2) ? null : rows.GetInt64(2),
                rows.GetInt64(3),
                (byte[])rows.GetValue(4))
            : null;
    }

    public void Save(string urlHash, StoredResponse response)
    {
        using var writer = _store.Write();
        using var command = writer.Command(
            """
            INSERT OR REPLACE INTO responses (url_hash, etag, last_modified, fresh_until, stored_at, body)
            VALUES ($url, $etag, $modified, $fresh, $stored, $body)
            """);
        command.Parameters.AddWithValue("$url", urlHash);
        command.Parameters.AddWithValue("$etag", (object?)response.ETag ?? DBNull.Value);
        command.Parameters.AddWithValue("$modified", (object?)response.LastModified ?? DBNull.Value);
        command.Parameters.AddWithValue("$fresh", (object?)response.FreshUntil ?? DBNull.Value);
        command.Parameters.AddWithValue("$stored", response.StoredAt);
        command.Parameters.Add("$body", SqliteType.Blob).Value = response.Body;
        command.ExecuteNonQuery();
    }

    /// <summary>What a 304 confirmed: the stored answer is current, and fresh until <paramref name="freshUntil"/>.</summary>
    public void Refresh(string urlHash, long? freshUntil, long storedAt)
    {
        using var writer = _store.Write();
        using var command = writer.Command("UPDATE responses SET fresh_until = $fresh, stored_at = $stored WHERE url_hash = $url");
        command.Parameters.AddWithValue("$url", urlHash);
        command.Parameters.AddWithValue("$fresh", (object?)freshUntil ?? DBNull.Value);
        command.Parameters.AddWithValue("$stored", storedAt);
        command.ExecuteNonQuery();
    }

    /// <summary>Forgets the answer of a URL that no longer has one (a 404, say).</summary>
    public void Remove(string urlHash)
    {
        using var writer = _store.Write();
        using var command = writer.Command("DELETE FROM responses WHERE url_hash = $url");
        command.Parameters.AddWithValue("$url", urlHash);
        command.ExecuteNonQuery();
    }

    public void Dispose() => _store.Dispose();
}

/// <summary>A stored answer of the catalog: its validators, until when it is fresh (Unix ms, or unknown), when it was stored or last confirmed, and its body.</summary>
internal sealed record StoredResponse(string? ETag, string? LastModified, long? FreshUntil, long StoredAt, byte[] Body);
