using Microsoft.Data.Sqlite;
using OfflineMedia.Internal;
using OfflineMedia.Internal.Sqlite;

namespace OfflineMedia.Cache.Internal;

internal sealed partial class MediaIndex
{
    /// <summary>One row's statements: its previous path, the row replaced, its partial, unflushed, retired and lease rows.</summary>
    private const string CommitSql =
        """
        SELECT path FROM entries WHERE exercise_id = $id AND kind = $kind AND variant = $variant;
        INSERT OR REPLACE INTO retired (path, exercise_id, kind, variant, retired_at)
            SELECT path, exercise_id, kind, variant, $cached FROM entries
            WHERE exercise_id = $id AND kind = $kind AND variant = $variant AND path <> $path;
        UPDATE totals SET bytes = bytes - coalesce((SELECT size FROM entries WHERE exercise_id = $id AND kind = $kind AND variant = $variant), 0);
        DELETE FROM entries WHERE exercise_id = $id AND kind = $kind AND variant = $variant;
        INSERT INTO entries
            (exercise_id, kind, variant, path, source_url, size, content_type, etag, last_modified, sha256, cached_at, last_access, content_hash, fresh_until)
        VALUES ($id, $kind, $variant, $path, $url, $size, $type, $etag, $modified, $sha, $cached, $access, $hash, $fresh);
        DELETE FROM partials WHERE file = $partial;
        INSERT OR REPLACE INTO unflushed (path, commit_id) VALUES ($path, $commit);
        DELETE FROM retired WHERE path = $path;
        DELETE FROM leases WHERE exercise_id = $id AND kind = $kind AND variant = $variant AND owner = $owner;
        SELECT e.seq, (SELECT max(p.pinned_until) FROM pins p WHERE p.exercise_id = e.exercise_id AND p.kind = e.kind AND p.variant = e.variant)
        FROM entries e WHERE e.exercise_id = $id AND e.kind = $kind AND e.variant = $variant;
        """;

    private static readonly string[] s_commitParameters =
        ["$id", "$kind", "$variant", "$path", "$url", "$size", "$type", "$etag", "$modified", "$sha", "$hash", "$fresh", "$cached", "$access", "$partial", "$commit", "$owner"];

    /// <summary>
    /// Writes a row; a replaced row is inserted again, so it takes the next <c>seq</c>: a download is a use. The
    /// partial download it completes, if any, is forgotten in the same transaction, and its file is recorded as unflushed
    /// until <see cref="ForgetUnflushed"/> forgets that commit.
    /// </summary>
    /// <returns>The bytes of every row, this one included.</returns>
    public long Upsert(IndexEntry entry, string? completedPartial = null, long commit = 0) =>
        Commit([new CommitRow(entry, new CommitDetails(completedPartial, commit))]).Total;

    /// <summary>
    /// Commits downloads, in one write transaction: for each, runs <see cref="CommitDetails.MoveIntoPlace"/>, then writes
    /// the row (see <see cref="Upsert"/>), takes the path back from the retired files, retires a replaced file of another
    /// path, and ends the lease on the key. The moves run under the index's write lock, which every process takes to delete
    /// retired files: none can delete a new file between its move and its row. A file that cannot be moved gets no row and
    /// leaves the others be; a failure of the transaction itself rolls every row back (a file moved then has no row, which
    /// the repair of the next open removes, as after a crash between the two). In the same transaction, first, takes the
    /// <paramref name="leases"/> asked for meanwhile, as <see cref="Lease"/> says.
    /// </summary>
    /// <returns>
    /// What came of each row, in order; for each lease, the live instance that holds it, or <see langword="null"/> when it
    /// is <paramref name="leaseOwner"/>'s now; and the bytes of every row after the commit.
    /// </returns>
    public (CommitOutcome[] Outcomes, string?[] Holders, long Total) Commit(
        IReadOnlyList<CommitRow> rows, IReadOnlyList<MediaKey>? leases = null, string? leaseOwner = null, Func<string, bool>? isAlive = null)
    {
        var outcomes = new CommitOutcome[rows.Count];
        var holders = new string?[leases?.Count ?? 0];
        using var writer = _store.Write();
        using var transaction = writer.BeginTransaction();
        for (var i = 0; i < holders.Length; i++)
        {
            holders[i] = Lease(writer, transaction, leases![i], leaseOwner!, isAlive!);
        }

        var command = _commitCommand ??= CommitCommand(writer);
        command.Transaction = transaction;
        for (var i = 0; i < rows.Count; i++)
        {
            var (entry, details) = rows[i];
            try
            {
                details.MoveIntoPlace?.Invoke();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or MediaCacheException)
            {
                outcomes[i] = new CommitOutcome(ex, null, 0, null);
                continue;
            }

            Bind(command, entry, details);
            using var results = command.ExecuteReader();
            var previous = results.Read() ? results.GetString(0) : null;
            results.NextResult();
            results.Read();
            outcomes[i] = new CommitOutcome(
                null, previous is not null && previous != entry.RelativePath ? previous : null, results.GetInt64(0), results.IsDBNull(1) ? null : results.GetInt64(1));
        }

        var total = rows.Count == 0 ? 0 : TotalBytes(writer, transaction);
        transaction.Commit();
        return (outcomes, holders, total);
    }

    /// <summary>The commit's statements on the writer connection, prepared once while the index is open (under the writer's lock).</summary>
    private static SqliteCommand CommitCommand(SqliteStore.Writer writer)
    {
        var command = writer.Command(CommitSql);
        foreach (var name in s_commitParameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private static void Bind(SqliteCommand command, IndexEntry entry, CommitDetails details)
    {
        var values = command.Parameters;
        values[0].Value = entry.Key.ExerciseId;
        values[1].Value = (int)entry.Key.Kind;
        values[2].Value = entry.Key.Variant;
        values[3].Value = entry.RelativePath;
        values[4].Value = SafeUrl.Redact(entry.SourceUrl); // The index keeps no token or password.
        values[5].Value = entry.Size;
        values[6].Value = (object?)entry.ContentType ?? DBNull.Value;
        values[7].Value = (object?)entry.ETag ?? DBNull.Value;
        values[8].Value = (object?)entry.LastModified ?? DBNull.Value;
        values[9].Value = (object?)entry.Sha256 ?? DBNull.Value;
        values[10].Value = (object?)entry.ContentHash ?? DBNull.Value;
        values[11].Value = (object?)entry.FreshUntil ?? DBNull.Value;
        values[12].Value = entry.CachedAt;
        values[13].Value = entry.LastAccess;
        values[14].Value = (object?)details.CompletedPartial ?? DBNull.Value;
        values[15].Value = details.CommitId;
        values[16].Value = (object?)details.LeaseOwner ?? DBNull.Value;
    }
}
