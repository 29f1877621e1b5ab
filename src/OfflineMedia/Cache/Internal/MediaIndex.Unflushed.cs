namespace OfflineMedia.Cache.Internal;

internal sealed partial class MediaIndex
{
    /// <summary>The paths of files committed but not yet known to be on disk.</summary>
    public HashSet<string> UnflushedFiles()
    {
        using var rented = RentConnection();
        using var command = rented.Connection.CreateCommand();
        command.CommandText = "SELECT path FROM unflushed";
        var paths = new HashSet<string>(StringComparer.Ordinal);
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            paths.Add(rows.GetString(0));
        }

        return paths;
    }

    /// <summary>Forgets every unflushed file: on open, once each is checked.</summary>
    public void ClearUnflushed()
    {
        lock (_writeGate)
        {
            Execute(_writer, "DELETE FROM unflushed");
        }
    }

    /// <summary>Forgets files now flushed to disk, or gone, unless committed again since.</summary>
    public void ForgetUnflushed(IReadOnlyCollection<CommittedFile> files)
    {
        if (files.Count == 0)
        {
            return;
        }

        lock (_writeGate)
        {
            using var transaction = _writer.BeginTransaction();
            using var command = _writer.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM unflushed WHERE path = $path AND commit_id = $commit";
            var path = command.Parameters.Add("$path", Microsoft.Data.Sqlite.SqliteType.Text);
            var commit = command.Parameters.Add("$commit", Microsoft.Data.Sqlite.SqliteType.Integer);
            foreach (var file in files)
            {
                path.Value = file.IndexPath;
                commit.Value = file.Commit;
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }
}
