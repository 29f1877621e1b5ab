using Microsoft.Data.Sqlite;

namespace OfflineMedia.Internal.Sqlite;

/// <summary>
/// A read connection of a store, kept in its <see cref="SqliteReaderPool{TReader}"/>, with the look-up the store makes
/// most prepared once: preparing a statement costs more than the indexed look-up it runs.
/// </summary>
internal sealed class PreparedReader : IDisposable
{
    /// <param name="connection">The open read connection; disposed with this reader.</param>
    /// <param name="sql">The look-up.</param>
    /// <param name="parameters">Its parameters, in order: their values are set by index before each run.</param>
    public PreparedReader(SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, SqliteType Type)> parameters)
    {
        Connection = connection;
        Find = SqliteStore.Command(connection, sql);
        foreach (var (name, type) in parameters)
        {
            Find.Parameters.Add(name, type);
        }

        Find.Prepare();
    }

    public SqliteConnection Connection { get; }

    /// <summary>Gets the prepared look-up.</summary>
    public SqliteCommand Find { get; }

    public void Dispose()
    {
        Find.Dispose();
        Connection.Dispose();
    }
}
