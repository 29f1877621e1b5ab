using System.Globalization;
using Microsoft.Data.Sqlite;
using OfflineMedia.Internal;
using OfflineMedia.Internal.Sqlite;
using OfflineMedia.Variants;

namespace OfflineMedia.Cache.Internal;

/// <summary>
/// The SQLite index beside the media files (WAL, schema versioned with <c>PRAGMA user_version</c>).
/// One writer connection behind a lock; readers take pooled connections with prepared lookups, so a
/// hit costs one indexed read and never waits for a writer. The entries table is kept in order of use
/// (<c>seq</c> grows with every use), so the least recently used entries are its first pages.
/// </summary>
internal sealed partial class MediaIndex : IDisposable
{
    /// <summary>The position of a row used now: after every other row.</summary>
    private const string NextSeq = "(SELECT coalesce(max(seq), 0) + 1 FROM entries)";

    private const string Columns =
        "e.exercise_id, e.kind, e.variant, e.path, e.source_url, e.size, e.content_type, e.etag, e.last_modified, e.sha256, e.cached_at, e.last_access, " +
        "(SELECT max(p.pinned_until) FROM pins p WHERE p.exercise_id = e.exercise_id AND p.kind = e.kind AND p.variant = e.variant), e.fresh_until";

    /// <summary>
    /// The order of the key index (ids and variants compared as SQLite's BINARY collation does, near enough):
    /// deletes by key in this order walk the index page by page.
    /// </summary>
    private static readonly Comparer<MediaKey> s_storageOrder = Comparer<MediaKey>.Create(static (a, b) =>
    {
        var order = string.CompareOrdinal(a.ExerciseId, b.ExerciseId);
        order = order != 0 ? order : ((int)a.Kind).CompareTo((int)b.Kind);
        return order != 0 ? order : string.CompareOrdinal(a.Variant, b.Variant);
    });

    private readonly SqliteStore _store;
    private readonly SqliteReaderPool<PreparedReader> _readers;

    /// <summary>The commit's statements, prepared once on the writer connection: preparing them for each group cost more than running them.</summary>
    private SqliteCommand? _commitCommand;
    private SqliteCommand? _leaseFind;
    private SqliteCommand? _leaseTake;

    private MediaIndex(SqliteStore store, bool wasCleanlyClosed)
    {
        _store = store;
        _readers = new SqliteReaderPool<PreparedReader>(store, static connection => new PreparedReader(
            connection,
            $"SELECT {Columns} FROM entries e WHERE e.exercise_id = $id AND e.kind = $kind AND e.variant = $variant",
            ("$id", SqliteType.Text), ("$kind", SqliteType.Integer), ("$variant", SqliteType.Text)));
        WasCleanlyClosed = wasCleanlyClosed;
    }

    /// <summary>Gets a value indicating whether the index was closed cleanly last time; if not, the files need a full check.</summary>
    public bool WasCleanlyClosed { get; }

    /// <summary>Opens (creating or migrating) the index. Throws <see cref="SqliteException"/> when the file is not a usable database.</summary>
    /// <param name="path">The index file.</param>
    /// <param name="alone">
    /// Whether no other instance has the index open: only then does an index left unclean mean a crash, worth a check.
    /// </param>
    public static MediaIndex Open(string path, bool alone = true)
    {
        // A trim or a batch of access times dirties thousands of pages in one transaction: with SQLite's default
        // 2 MB page cache they would spill to the WAL mid-transaction and be read back. Grown only as used.
        var store = SqliteStore.Open(path, s_schema, "PRAGMA cache_size = -16384;");
        try
        {
            using var writer = store.Write();
            var clean = writer.Scalar("SELECT value FROM meta WHERE key = 'clean'") as string == "1";
            if (!clean && alone && writer.Scalar("PRAGMA quick_check") as string != "ok")
            {
                throw new SqliteException("The cache index failed its integrity check.", 11);
            }

            // Marked unclean while open: a crash leaves it so, and the next open checks every file.
            writer.Execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('clean', '0')");
            return new MediaIndex(store, clean);
        }
        catch
        {
            store.Dispose(); // Not marked clean: nothing was checked.
            throw;
        }
    }

    public IndexEntry? Find(MediaKey key)
    {
        using var rented = _readers.Rent();
        var command = rented.Reader.Find;
        command.Parameters[0].Value = key.ExerciseId;
        command.Parameters[1].Value = (int)key.Kind;
        command.Parameters[2].Value = key.Variant;
        using var rows = command.ExecuteReader();
        return rows.Read() ? ReadEntry(rows) : null;
    }

    public List<IndexEntry> FindByExercise(string exerciseId)
    {
        using var rented = _readers.Rent();
        using var command = SqliteStore.Command(rented.Reader.Connection, $"SELECT {Columns} FROM entries e WHERE e.exercise_id = $id ORDER BY e.kind, e.variant");
        command.Parameters.AddWithValue("$id", exerciseId);
        return ReadAll(command);
    }

    /// <summary>Writes batched access times (a later time never goes back) and moves the rows to the end of the table, in order of use.</summary>
    public void Touch(IReadOnlyCollection<KeyValuePair<MediaKey, long>> accesses)
    {
        if (accesses.Count == 0)
        {
            return;
        }

        ForEachKey(
            $"UPDATE entries SET seq = {NextSeq}, last_access = max(last_access, $access) WHERE exercise_id = $id AND kind = $kind AND variant = $variant",
            accesses.OrderBy(static access => access.Value),
            static access => access.Key,
            static command => command.Parameters.Add("$access", SqliteType.Integer),
            static (command, access) => command.Parameters["$access"].Value = access.Value);
    }

    /// <summary>
    /// Refreshes what a 304 confirmed: the validators, the time of the check and until when the file is fresh. Ends
    /// <paramref name="leaseOwner"/>'s lease on the key.
    /// </summary>
    public void Revalidated(MediaKey key, string sourceUrl, string? etag, long? lastModified, long now, string? leaseOwner = null, long? freshUntil = null)
    {
        using var writer = _store.Write();
        using var transaction = writer.BeginTransaction();
        using var command = writer.Command(
            $$"""
            UPDATE entries SET seq = {{NextSeq}}, source_url = $url, etag = coalesce($etag, etag),
                last_modified = coalesce($modified, last_modified), cached_at = $now, last_access = max(last_access, $now), fresh_until = $fresh
            WHERE exercise_id = $id AND kind = $kind AND variant = $variant;
            DELETE FROM leases WHERE exercise_id = $id AND kind = $kind AND variant = $variant AND owner = $owner;
            """,
            transaction);
        command.Parameters.AddWithValue("$owner", (object?)leaseOwner ?? DBNull.Value);
        command.Parameters.AddWithValue("$fresh", (object?)freshUntil ?? DBNull.Value);
        AddKey(command, key);
        command.Parameters.AddWithValue("$url", SafeUrl.Redact(sourceUrl));
        command.Parameters.AddWithValue("$etag", (object?)etag ?? DBNull.Value);
        command.Parameters.AddWithValue("$modified", (object?)lastModified ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", now);
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    public CacheUsage Usage(long now, long limit)
    {
        using var connection = _store.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT kind, count(*), coalesce(sum(size), 0),
                   coalesce(sum(CASE WHEN EXISTS (SELECT 1 FROM pins p WHERE p.exercise_id = e.exercise_id AND p.kind = e.kind
                                                  AND p.variant = e.variant AND p.pinned_until > $now) THEN size END), 0)
            FROM entries e GROUP BY kind
            """;
        command.Parameters.AddWithValue("$now", now);
        long imageBytes = 0, videoBytes = 0, pinned = 0;
        int images = 0, videos = 0;
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            if ((MediaKind)rows.GetInt32(0) == MediaKind.Image)
            {
                (images, imageBytes) = (rows.GetInt32(1), rows.GetInt64(2));
            }
            else
            {
                (videos, videoBytes) = (rows.GetInt32(1), rows.GetInt64(2));
            }

            pinned += rows.GetInt64(3);
        }

        return new CacheUsage(imageBytes + videoBytes, images + videos, imageBytes, images, videoBytes, videos, pinned, limit);
    }

    /// <summary>The bytes of every row, as the index keeps them for every process that uses it (one row, kept in the transactions that change the rows).</summary>
    public long TotalBytes()
    {
        using var rented = _readers.Rent();
        return Convert.ToInt64(SqliteStore.Scalar(rented.Reader.Connection, "SELECT bytes FROM totals"), CultureInfo.InvariantCulture);
    }

    /// <summary>Every row with its content hash, for the repair that follows a crash or a cleared index.</summary>
    public List<IndexEntry> All()
    {
        using var connection = _store.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns}, e.content_hash FROM entries e";
        return ReadAll(command);
    }

    /// <summary>Closes the index, marked clean, with its WAL folded into the file. Idempotent.</summary>
    public void Dispose() => Close(markClean: true);

    /// <summary>
    /// Closes the index. Only the last instance to close marks it clean (and folds the WAL into the file): while another
    /// process has it open, a crash of that one must still leave it unclean. Idempotent.
    /// </summary>
    public void Close(bool markClean) => _store.Close(writer =>
    {
        _readers.Clear();
        _commitCommand?.Dispose();
        _leaseFind?.Dispose();
        _leaseTake?.Dispose();
        if (markClean)
        {
            SqliteStore.Execute(writer, "INSERT OR REPLACE INTO meta(key, value) VALUES ('clean', '1'); PRAGMA wal_checkpoint(TRUNCATE);");
        }
    });

    /// <summary>Runs one prepared statement per key (bound as <c>$id</c>, <c>$kind</c>, <c>$variant</c>) in one transaction.</summary>
    /// <returns>The rows changed.</returns>
    private int ForEachKey<T>(
        string sql, IEnumerable<T> items, Func<T, MediaKey> keyOf, Action<SqliteCommand>? parameters = null, Action<SqliteCommand, T>? bind = null) =>
        ForEach(
            sql,
            items,
            command =>
            {
                command.Parameters.Add("$id", SqliteType.Text);
                command.Parameters.Add("$kind", SqliteType.Integer);
                command.Parameters.Add("$variant", SqliteType.Text);
                parameters?.Invoke(command);
            },
            (command, item) =>
            {
                var key = keyOf(item);
                command.Parameters[0].Value = key.ExerciseId;
                command.Parameters[1].Value = (int)key.Kind;
                command.Parameters[2].Value = key.Variant;
                bind?.Invoke(command, item);
            });

    /// <summary>The distinct values of a query's one text column.</summary>
    private HashSet<string> Texts(string sql)
    {
        using var rented = _readers.Rent();
        using var command = SqliteStore.Command(rented.Reader.Connection, sql);
        var values = new HashSet<string>(StringComparer.Ordinal);
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            values.Add(rows.GetString(0));
        }

        return values;
    }

    /// <summary>Runs one prepared statement per item, its parameters declared once and bound per item, in one transaction.</summary>
    /// <returns>The rows changed.</returns>
    private int ForEach<T>(string sql, IEnumerable<T> items, Action<SqliteCommand> parameters, Action<SqliteCommand, T> bind)
    {
        using var writer = _store.Write();
        using var transaction = writer.BeginTransaction();
        using var command = writer.Command(sql, transaction);
        parameters(command);
        command.Prepare();

        var changed = 0;
        foreach (var item in items)
        {
            bind(command, item);
            changed += command.ExecuteNonQuery();
        }

        transaction.Commit();
        return changed;
    }

    private static IndexEntry ReadEntry(SqliteDataReader rows) => new(
        new MediaKey(rows.GetString(0), (MediaKind)rows.GetInt32(1), rows.GetString(2)),
        rows.GetString(3),
        rows.GetString(4),
        rows.GetInt64(5),
        rows.IsDBNull(6) ? null : rows.GetString(6),
        rows.IsDBNull(7) ? null : rows.GetString(7),
        rows.IsDBNull(8) ? null : rows.GetInt64(8),
        rows.IsDBNull(9) ? null : rows.GetString(9),
        rows.GetInt64(10),
        rows.GetInt64(11),
        rows.IsDBNull(12) ? null : rows.GetInt64(12),
        rows.FieldCount > 14 && !rows.IsDBNull(14) ? rows.GetString(14) : null)
    {
        FreshUntil = rows.IsDBNull(13) ? null : rows.GetInt64(13),
    };

    private static List<IndexEntry> ReadAll(SqliteCommand command)
    {
        var entries = new List<IndexEntry>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            entries.Add(ReadEntry(rows));
        }

        return entries;
    }

    private static void AddKey(SqliteCommand command, MediaKey key)
    {
        command.Parameters.AddWithValue("$id", key.ExerciseId);
        command.Parameters.AddWithValue("$kind", (int)key.Kind);
        command.Parameters.AddWithValue("$variant", key.Variant);
    }
}
