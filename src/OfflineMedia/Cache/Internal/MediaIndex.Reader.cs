using Microsoft.Data.Sqlite;

namespace OfflineMedia.Cache.Internal;

internal sealed partial class MediaIndex
{
    /// <summary>A read connection with its lookup prepared once.</summary>
    private sealed class Reader : IDisposable
    {
        public Reader(SqliteConnection connection)
        {
            Connection = connection;
            Find = connection.CreateCommand();
            Find.CommandText = $"SELECT {Columns} FROM entries e WHERE e.exercise_id = $id AND e.kind = $kind AND e.variant = $variant";
            Find.Parameters.Add("$id", SqliteType.Text);
            Find.Parameters.Add("$kind", SqliteType.Integer);
            Find.Parameters.Add("$variant", SqliteType.Text);
            Find.Prepare();
        }

        public SqliteConnection Connection { get; }

        public SqliteCommand Find { get; }

        public void Dispose()
        {
            Find.Dispose();
            Connection.Dispose();
        }
    }
}
