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

    /// <summary>Forgets files now flushed to disk, or gone.</summary>
    public void ForgetUnflushed(IReadOnlyCollection<string> paths)
    {
        if (paths.Count == 0)
        {
            return;
        }

        lock (_writeGate)
        {
            using var transaction = _writer.BeginTransaction();
            using var command = _writer.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM unflushed WHERE path = $path";
            var parameter = command.Parameters.Add("$path", Microsoft.Data.Sqlite.SqliteType.Text);
            foreach (var path in paths)
            {
                parameter.Value = path;
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }
}
