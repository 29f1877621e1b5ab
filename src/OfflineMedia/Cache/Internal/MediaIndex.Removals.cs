using System.Globalization;
using Microsoft.Data.Sqlite;
using OfflineMedia.Internal.Sqlite;
using OfflineMedia.Variants;

namespace OfflineMedia.Cache.Internal;

/// <summary>What takes rows out of the index: removals by key, eviction to a budget, a clear; and the byte total they keep.</summary>
internal sealed partial class MediaIndex
{
    /// <summary>
    /// Removes rows, retiring their files as of <paramref name="retireAt"/> (deleted once the grace period has passed, see
    /// <see cref="DeleteRetired"/>), or leaving them (to the caller, or the repair that removes files without rows) when
    /// <see langword="null"/>.
    /// </summary>
    /// <returns>The rows that existed.</returns>
    public List<EntryFile> Delete(IReadOnlyCollection<MediaKey> keys, long? retireAt)
    {
        var removed = new List<EntryFile>();
        if (keys.Count == 0)
        {
            return removed;
        }

        using var writer = _store.Write();
        using var transaction = writer.BeginTransaction();
        using var delete = writer.Command(
            "DELETE FROM entries WHERE exercise_id = $id AND kind = $kind AND variant = $variant RETURNING path, size", transaction);
        delete.Parameters.Add("$id", SqliteType.Text);
        delete.Parameters.Add("$kind", SqliteType.Integer);
        delete.Parameters.Add("$variant", SqliteType.Text);
        delete.Prepare();
        foreach (var key in keys.Order(s_storageOrder))
        {
            delete.Parameters[0].Value = key.ExerciseId;
            delete.Parameters[1].Value = (int)key.Kind;
            delete.Parameters[2].Value = key.Variant;
            using var rows = delete.ExecuteReader();
            if (rows.Read())
            {
                removed.Add(new EntryFile(key, rows.GetString(0), rows.GetInt64(1)));
            }
        }

        if (retireAt is { } now)
        {
            Retire(writer, transaction, removed, now);
        }

        TakeOffTotal(writer, transaction, removed.Sum(e => e.Size));

        transaction.Commit();
        return removed;
    }

    /// <summary>
    /// Evicts, in one transaction: unpinned rows unused since <paramref name="expiredBefore"/>, then, while the total is
    /// over <paramref name="budget"/>, least recently used rows until it is at <paramref name="target"/>; never
    /// <paramref name="keep"/>. The table is in order of use, so what goes is a run of its first unpinned rows: they are
    /// read until enough are chosen, then deleted as one range, which rewrites few pages. Rows from
    /// <paramref name="keepFrom"/> on in the order of use (a group of files just committed) are never chosen either.
    /// </summary>
    /// <returns>The rows removed, their files retired as of <paramref name="now"/>, and the bytes of the rows left.</returns>
    public (List<EntryFile> Evicted, long Remaining) Evict(long budget, long target, long expiredBefore, long now, MediaKey? keep, long? keepFrom = null)
    {
        const string Evictable = """
            NOT EXISTS (SELECT 1 FROM pins p WHERE p.exercise_id = e.exercise_id AND p.kind = e.kind AND p.variant = e.variant
                        AND p.pinned_until > $now)
            AND NOT (e.exercise_id IS $keep_id AND e.kind IS $keep_kind AND e.variant IS $keep_variant)
            AND ($keep_from IS NULL OR e.seq < $keep_from)
            """;

        using var writer = _store.Write();
        using var transaction = writer.BeginTransaction();
        var total = TotalBytes(writer, transaction); // Within the transaction: another process's commits count too.
        using var command = writer.Command($"SELECT e.seq, e.size, e.last_access FROM entries e WHERE {Evictable} ORDER BY e.seq", transaction);
        command.Parameters.AddWithValue("$now", now);
        command.Parameters.AddWithValue("$keep_id", (object?)keep?.ExerciseId ?? DBNull.Value);
        command.Parameters.AddWithValue("$keep_kind", (object?)(int?)keep?.Kind ?? DBNull.Value);
        command.Parameters.AddWithValue("$keep_variant", (object?)keep?.Variant ?? DBNull.Value);
        command.Parameters.AddWithValue("$keep_from", (object?)keepFrom ?? DBNull.Value);

        long? last = null;
        var remaining = total;
        var overBudget = total > budget;
        using (var rows = command.ExecuteReader())
        {
            while (rows.Read())
            {
                var expired = rows.GetInt64(2) < expiredBefore;
                if (!expired && !(overBudget && remaining > target))
                {
                    break; // Rows come least recently used first: nothing later is expired or needed.
                }

                last = rows.GetInt64(0);
                remaining -= rows.GetInt64(1);
            }
        }

        var evicted = new List<EntryFile>();
        if (last is null)
        {
            return (evicted, total);
        }

        // The files are retired (deleted after their grace period) and the rows deleted as one range each.
        command.CommandText = $"""
            INSERT OR REPLACE INTO retired (path, exercise_id, kind, variant, retired_at)
                SELECT e.path, e.exercise_id, e.kind, e.variant, $now FROM entries AS e WHERE e.seq <= $last AND {Evictable};
            DELETE FROM entries AS e WHERE e.seq <= $last AND {Evictable} RETURNING exercise_id, kind, variant, path, size
            """;
        command.Parameters.AddWithValue("$last", last);
        using (var rows = command.ExecuteReader())
        {
            while (rows.Read())
            {
                evicted.Add(new EntryFile(new MediaKey(rows.GetString(0), (MediaKind)rows.GetInt32(1), rows.GetString(2)), rows.GetString(3), rows.GetInt64(4)));
            }
        }

        TakeOffTotal(writer, transaction, evicted.Sum(e => e.Size));
        total = TotalBytes(writer, transaction);
        transaction.Commit();
        return (evicted, total);
    }

    /// <summary>The rows a clear removes: all, or those not pinned at <paramref name="now"/>.</summary>
    public List<IndexEntry> ClearCandidates(bool keepPinned, long now)
    {
        using var connection = _store.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = keepPinned
            ? $"""
               SELECT {Columns} FROM entries e WHERE NOT EXISTS (SELECT 1 FROM pins p WHERE p.exercise_id = e.exercise_id
                   AND p.kind = e.kind AND p.variant = e.variant AND p.pinned_until > $now)
               """
            : $"SELECT {Columns} FROM entries e";
        command.Parameters.AddWithValue("$now", now);
        return ReadAll(command);
    }

    /// <summary>Takes the bytes of rows just deleted off the total, in their transaction (inserts add theirs by trigger).</summary>
    private static void TakeOffTotal(SqliteStore.Writer writer, SqliteTransaction transaction, long bytes)
    {
        if (bytes == 0)
        {
            return;
        }

        using var command = writer.Command("UPDATE totals SET bytes = bytes - $bytes", transaction);
        command.Parameters.AddWithValue("$bytes", bytes);
        command.ExecuteNonQuery();
    }

    private static long TotalBytes(SqliteStore.Writer writer, SqliteTransaction transaction)
    {
        using var command = writer.Command("SELECT bytes FROM totals", transaction);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
