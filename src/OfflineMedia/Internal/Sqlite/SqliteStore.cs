using Microsoft.Data.Sqlite;

namespace OfflineMedia.Internal.Sqlite;

/// <summary>
/// One SQLite file the SDK keeps: opened with the same connection string and pragmas as every other (WAL), its schema
/// migrated on open, one writer connection used under one lock, and read connections on demand. The store built on it
/// keeps only its own SQL.
/// </summary>
internal sealed class SqliteStore : IDisposable
{
    /// <summary>WAL: readers never wait for the writer. A writer waits up to 5 s for another process's lock before failing.</summary>
    private const string Pragmas = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;";

    private readonly object _writeGate = new();
    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private bool _disposed;

    private SqliteStore(string connectionString, SqliteConnection writer)
    {
        _connectionString = connectionString;
        _writer = writer;
    }

    /// <summary>Gets a value indicating whether the store is closed: read connections rented before go back closed.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed);

    /// <summary>
    /// Opens (creating or migrating) the file at <paramref name="path"/>; <paramref name="writerPragmas"/> follow the standard
    /// ones on the writer only. Throws <see cref="SqliteException"/> when the file is not a usable database of this schema.
    /// </summary>
    public static SqliteStore Open(string path, SqliteMigrations migrations, string? writerPragmas = null)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false, // Stores keep their connections open, and pool their readers themselves.
            DefaultTimeout = 30,
        }.ToString();

        var writer = new SqliteConnection(connectionString);
        try
        {
            writer.Open();
            Execute(writer, Pragmas + writerPragmas);
            migrations.Apply(writer);
            return new SqliteStore(connectionString, writer);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads SQLite on the thread pool: its assemblies, its native library and the interop of the calls a store makes, which
    /// cost a first open 15 to 40 ms. <see cref="SqliteWarmUp"/> calls it once, as the host starts or the cache is created.
    /// Nothing here touches a file. A failure is left for the real open to report.
    /// </summary>
    public static void LoadInBackground() => ThreadPool.UnsafeQueueUserWorkItem(static _ =>
    {
        try
        {
            using var connection = new SqliteConnection("Data Source=:memory:;Pooling=False");
            connection.Open();
            using var transaction = connection.BeginTransaction();
            using var command = Command(connection, "SELECT $number, $text", transaction);
            command.Parameters.AddWithValue("$number", 1L);
            command.Parameters.AddWithValue("$text", "");
            using (var rows = command.ExecuteReader())
            {
                _ = rows.Read() && rows.GetInt64(0) == 1 && rows.GetString(1).Length == 0; // A row read back, as lookups do.
            }

            transaction.Commit();
            _ = new SqliteConnectionStringBuilder { DataSource = ":memory:", Mode = SqliteOpenMode.ReadWriteCreate }.ToString(); // As Open builds one.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Not this thread's to report (nor to end the process over): the open that needs SQLite fails with it.
        }
    }, null);

    /// <summary>Takes the writer connection, held by this thread alone until the returned handle is disposed.</summary>
    public Writer Write()
    {
        Monitor.Enter(_writeGate);
        if (_disposed)
        {
            Monitor.Exit(_writeGate);
            throw new ObjectDisposedException(nameof(SqliteStore));
        }

        return new Writer(_writeGate, _writer);
    }

    /// <summary>Opens a new read connection; its owner disposes it.</summary>
    public SqliteConnection OpenReader()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Dispose() => Close(null);

    /// <summary>
    /// Closes the store once, under the writer's lock: marked closed first (so read connections in use are not pooled again),
    /// then <paramref name="closing"/> runs on the writer (e.g. to record a clean close), then the writer closes. Idempotent.
    /// </summary>
    public void Close(Action<SqliteConnection>? closing)
    {
        lock (_writeGate)
        {
            if (_disposed)
            {
                return;
            }

            Volatile.Write(ref _disposed, true);
            try
            {
                closing?.Invoke(_writer);
            }
            finally
            {
                _writer.Dispose();
            }
        }
    }

    public static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <returns>The rows changed.</returns>
    public static int Execute(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        return command.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        return command.ExecuteScalar();
    }

    /// <summary>The writer connection, held under the store's lock until disposed: one owner at a time.</summary>
    public readonly ref struct Writer
    {
        private readonly object _gate;

        internal Writer(object gate, SqliteConnection connection)
        {
            _gate = gate;
            Connection = connection;
        }

        public SqliteConnection Connection { get; }

        public SqliteTransaction BeginTransaction() => Connection.BeginTransaction();

        public SqliteCommand Command(string sql, SqliteTransaction? transaction = null) => SqliteStore.Command(Connection, sql, transaction);

        /// <returns>The rows changed.</returns>
        public int Execute(string sql) => SqliteStore.Execute(Connection, sql);

        public object? Scalar(string sql) => SqliteStore.Scalar(Connection, sql);

        public void Dispose() => Monitor.Exit(_gate);
    }
}
