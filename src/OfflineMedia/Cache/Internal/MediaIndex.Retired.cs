using Microsoft.Data.Sqlite;
using OfflineMedia.Internal.Sqlite;

namespace OfflineMedia.Cache.Internal;

internal sealed partial class MediaIndex
{
    /// <summary>
    /// Deletes the retired files of rows gone since <paramref name="retiredBefore"/> or earlier, through
    /// <paramref name="deleteFile"/>, inside one write transaction: a commit moves its file into place under the same
    /// lock, so a path committed again is never deleted (its row is back, and it left the retired files).
    /// </summary>
    /// <returns>When the next retired file is due (its retirement time), or <see langword="null"/> when none is left.</returns>
    public long? DeleteRetired(long retiredBefore, Action<string> deleteFile)
    {
        using var writer = _store.Write();
        using var transaction = writer.BeginTransaction();
        using var command = writer.Command(
            """
            DELETE FROM retired WHERE retired_at <= $before
            RETURNING path, EXISTS (SELECT 1 FROM entries e WHERE e.exercise_id = retired.exercise_id AND e.kind = retired.kind
                                    AND e.variant = retired.variant AND e.path = retired.path)
            """,
            transaction);
        command.Parameters.AddWithValue("$before", retiredBefore);
        var due = new List<string>();
        using (var rows = command.ExecuteReader())
        {
            while (rows.Read())
            {
                if (rows.GetInt64(1) == 0)
                {
                    due.Add(rows.GetString(0));
                }
            }
        }

        due.ForEach(deleteFile);
        command.CommandText = "SELECT min(retired_at) FROM retired";
        var next = command.ExecuteScalar() is long at ? at : (long?)null;
        transaction.Commit();
        return next;
    }

    /// <summary>Lists the files of rows just removed as retired as of <paramref name="now"/>, in the removal's transaction.</summary>
    private static void Retire(SqliteStore.Writer writer, SqliteTransaction transaction, List<EntryFile> files, long now)
    {
        if (files.Count == 0)
        {
            return;
        }

        using var command = writer.Command(
            "INSERT OR REPLACE INTO retired (path, exercise_id, kind, variant, retired_at) VALUES ($path, $id, $kind, $variant, $now)", transaction);
        command.Parameters.Add("$path", SqliteType.Text);
        command.Parameters.Add("$id", SqliteType.Text);
        command.Parameters.Add("$kind", SqliteType.Integer);
        command.Parameters.Add("$variant", SqliteType.Text);
        command.Parameters.AddWithValue("$now", now);
        command.Prepare();
        foreach (var file in files)
        {
            command.Parameters[0].Value = file.RelativePath;
            command.Parameters[1].Value = file.Key.ExerciseId;
            command.Parameters[2].Value = (int)file.Key.Kind;
            command.Parameters[3].Value = file.Key.Variant;
            command.ExecuteNonQuery();
        }
    }
}
