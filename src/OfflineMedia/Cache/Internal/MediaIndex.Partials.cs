using Microsoft.Data.Sqlite;
using OfflineMedia.Internal.Sqlite;

namespace OfflineMedia.Cache.Internal;

internal sealed partial class MediaIndex
{
    /// <summary>What is known of the partial download in the temp folder's <paramref name="file"/>, or null.</summary>
    public PartialDownload? FindPartial(string file)
    {
        using var rented = _readers.Rent();
        using var command = SqliteStore.Command(rented.Reader.Connection, "SELECT etag, last_modified, total_bytes, content_type FROM partials WHERE file = $file");
        command.Parameters.AddWithValue("$file", file);
        using var rows = command.ExecuteReader();
        return rows.Read()
            ? new PartialDownload(
                rows.IsDBNull(0) ? null : rows.GetString(0),
                rows.IsDBNull(1) ? null : rows.GetString(1),
                rows.IsDBNull(2) ? null : rows.GetInt64(2),
                rows.IsDBNull(3) ? null : rows.GetString(3))
            : null;
    }

    /// <summary>Records what a partial download needs to resume, before its first byte is written.</summary>
    public void SavePartial(string file, PartialDownload partial)
    {
        using var writer = _store.Write();
        using var command = writer.Connection.CreateCommand();
        command.CommandText = """
            INSERT OR REPLACE INTO partials (file, etag, last_modified, total_bytes, content_type)
            VALUES ($file, $etag, $modified, $total, $type)
            """;
        command.Parameters.AddWithValue("$file", file);
        command.Parameters.AddWithValue("$etag", (object?)partial.ETag ?? DBNull.Value);
        command.Parameters.AddWithValue("$modified", (object?)partial.LastModified ?? DBNull.Value);
        command.Parameters.AddWithValue("$total", (object?)partial.TotalBytes ?? DBNull.Value);
        command.Parameters.AddWithValue("$type", (object?)partial.ContentType ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    /// <summary>Forgets partial downloads whose files are gone.</summary>
    public void RemovePartials(IReadOnlyCollection<string> files)
    {
        if (files.Count == 0)
        {
            return;
        }

        ForEach(
            "DELETE FROM partials WHERE file = $file",
            files,
            static command => command.Parameters.Add("$file", SqliteType.Text),
            static (command, file) => command.Parameters[0].Value = file);
    }

    /// <summary>The files of every partial download recorded, for the sweep on open.</summary>
    public HashSet<string> PartialFiles() => Texts("SELECT file FROM partials");
}
