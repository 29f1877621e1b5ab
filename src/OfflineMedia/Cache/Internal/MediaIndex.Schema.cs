using Microsoft.Data.Sqlite;
using OfflineMedia.Internal;
using OfflineMedia.Internal.Sqlite;

namespace OfflineMedia.Cache.Internal;

internal sealed partial class MediaIndex
{
    /// <summary>Forward migrations: script N takes the schema from version N to N + 1. Append, never edit.</summary>
    private static readonly SqliteMigrations s_schema = new("cache index", [
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
        CREATE TABLE entries (
            exercise_id TEXT NOT NULL,
            kind INTEGER NOT NULL,
            variant TEXT NOT NULL,
            path TEXT NOT NULL,
            source_url TEXT NOT NULL,
            size INTEGER NOT NULL,
            content_type TEXT,
            etag TEXT,
            last_modified INTEGER,
            sha256 TEXT NOT NULL,
            cached_at INTEGER NOT NULL,
            last_access INTEGER NOT NULL,
            PRIMARY KEY (exercise_id, kind, variant)) WITHOUT ROWID;
        CREATE INDEX entries_by_access ON entries (last_access);
        CREATE TABLE pins (
            exercise_id TEXT NOT NULL,
            kind INTEGER NOT NULL,
            variant TEXT NOT NULL,
            pin_set TEXT NOT NULL,
            pinned_until INTEGER NOT NULL,
            PRIMARY KEY (exercise_id, kind, variant, pin_set)) WITHOUT ROWID;
        CREATE INDEX pins_by_set ON pins (pin_set);
        """,

        // Eviction reads rows oldest first and needs only their key, size and path: with those in the index
        // (the key is in every index of a WITHOUT ROWID table) it never visits the table.
        """
        DROP INDEX entries_by_access;
        CREATE INDEX entries_by_access ON entries (last_access, size, path);
        """,

        // The table is kept in order of use: seq grows with every use, so the least recently used rows are the
        // first pages and an eviction deletes a run of pages instead of rewriting most of the table (a keyed
        // table scatters them: 10,000 evictions of 100,000 rows touched 80% of its pages). Keys move to a unique index.
        // sha256 becomes optional: only a digest the catalog gave, and the file was verified against, is kept.
        """
        CREATE TABLE entries_by_use (
            seq INTEGER PRIMARY KEY,
            exercise_id TEXT NOT NULL,
            kind INTEGER NOT NULL,
            variant TEXT NOT NULL,
            path TEXT NOT NULL,
            source_url TEXT NOT NULL,
            size INTEGER NOT NULL,
            content_type TEXT,
            etag TEXT,
            last_modified INTEGER,
            sha256 TEXT,
            cached_at INTEGER NOT NULL,
            last_access INTEGER NOT NULL);
        INSERT INTO entries_by_use
            (exercise_id, kind, variant, path, source_url, size, content_type, etag, last_modified, sha256, cached_at, last_access)
        SELECT exercise_id, kind, variant, path, source_url, size, content_type, etag, last_modified, sha256, cached_at, last_access
        FROM entries ORDER BY last_access;
        DROP TABLE entries;
        ALTER TABLE entries_by_use RENAME TO entries;
        CREATE UNIQUE INDEX entries_by_key ON entries (exercise_id, kind, variant);
        """,

        // What a partial download needs to resume (its validators and size) moves from a .part.json file beside it
        // into the index: a file created, written and deleted per download cost more than the row, and the row goes
        // in the same transaction as the entry that completes it. Sidecars left by version 3 are swept on open.
        """
        CREATE TABLE partials (
            file TEXT PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            total_bytes INTEGER,
            content_type TEXT) WITHOUT ROWID;
        """,

        // A file is committed (moved into place and indexed) before it is flushed to disk, which follows on a
        // background thread: waiting for the fsync held every download up by the time the disk took. Until the flush,
        // its path is listed here, in the same transaction as its entry, and an open that finds it checks the file.
        // commit_id tells commits of one path apart within a process: the flush of one forgets only that one.
        """
        CREATE TABLE unflushed (path TEXT PRIMARY KEY, commit_id INTEGER NOT NULL) WITHOUT ROWID;
        """,

        // A signed URL carries its signature and token in the query, and a URL may carry a password before its host: the
        // index keeps a source URL without query, fragment or user info. Rows written before lose them here, cut by the
        // same code that cuts them on write; secure_delete overwrites the old text instead of leaving it in free space.
        $"""
        PRAGMA secure_delete = ON;
        UPDATE entries SET source_url = {RedactUrlFunction}(source_url) WHERE source_url <> {RedactUrlFunction}(source_url);
        PRAGMA secure_delete = OFF;
        """,

        // A file committed without a catalog digest was dropped by an open that found it unflushed, though an app kill
        // (not a machine crash) keeps every byte written. content_hash is the XxHash128 of the body, computed as it
        // streamed, that such an open checks instead. Rows written before have none and are checked as before.
        """
        ALTER TABLE entries ADD COLUMN content_hash TEXT;
        """,

        // Two processes (an app and its background task, an app and its extension) can share one cache:
        // - totals: the bytes of every row, kept by triggers in the transaction that changes them, so a process never
        //   trusts a total of its own that another process's commits and evictions have made stale. (A REPLACE would
        //   delete the old row without its trigger: rows are replaced by a DELETE and an INSERT.)
        // - leases: the download of a key in progress and the cache instance that runs it, so another instance waits for it
        //   (or takes it over once that instance is gone) instead of fetching it again.
        // - retired: files whose rows are gone, deleted only after a grace period, so a path another process has just been
        //   given stays readable while it opens it. A commit to that path takes it back.
        """
        CREATE TABLE totals (id INTEGER PRIMARY KEY CHECK (id = 0), bytes INTEGER NOT NULL);
        INSERT INTO totals (id, bytes) SELECT 0, coalesce(sum(size), 0) FROM entries;
        CREATE TRIGGER entries_total_insert AFTER INSERT ON entries BEGIN UPDATE totals SET bytes = bytes + new.size; END;
        CREATE TRIGGER entries_total_delete AFTER DELETE ON entries BEGIN UPDATE totals SET bytes = bytes - old.size; END;
        CREATE TRIGGER entries_total_update AFTER UPDATE OF size ON entries BEGIN UPDATE totals SET bytes = bytes - old.size + new.size; END;
        CREATE TABLE leases (
            exercise_id TEXT NOT NULL,
            kind INTEGER NOT NULL,
            variant TEXT NOT NULL,
            owner TEXT NOT NULL,
            PRIMARY KEY (exercise_id, kind, variant)) WITHOUT ROWID;
        CREATE TABLE retired (
            path TEXT PRIMARY KEY,
            exercise_id TEXT NOT NULL,
            kind INTEGER NOT NULL,
            variant TEXT NOT NULL,
            retired_at INTEGER NOT NULL) WITHOUT ROWID;
        """,

        // HTTP caching: until when the origin said a file is fresh (Cache-Control max-age, or Expires; no-cache makes it
        // stale at once), so a sync asks about a file once it is stale and never while it is fresh. Null: the origin said
        // nothing, and the re-sync interval decides, as before.
        """
        ALTER TABLE entries ADD COLUMN fresh_until INTEGER;
        """,

        // A trim deletes thousands of rows in one statement, and a trigger runs once per row: the total's update per
        // evicted row made a trim 1.65 times a plain delete of its rows. Deletes now take their bytes off the total in one
        // statement of their own, in the same transaction (MediaIndex.Evict, Delete, and a commit that replaces a row).
        """
        DROP TRIGGER entries_total_delete;
        """,
    ], prepare: static connection => connection.CreateFunction(RedactUrlFunction, static (string url) => SafeUrl.Redact(url), isDeterministic: true));

    /// <summary>The SQL name of <see cref="SafeUrl.Redact(string)"/>, registered while migrating.</summary>
    private const string RedactUrlFunction = "offline_media_redact_url";

    /// <summary>Gets the schema version this code writes.</summary>
    public static int SchemaVersion => s_schema.Version;
}
