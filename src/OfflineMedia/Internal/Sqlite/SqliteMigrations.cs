using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OfflineMedia.Internal.Sqlite;

/// <summary>
/// A schema as an ordered list of forward migrations: script N takes a file from version N to N + 1, and
/// <c>PRAGMA user_version</c> counts those that ran. Append, never edit: every file an earlier version wrote must still migrate.
/// </summary>
internal sealed class SqliteMigrations
{
    /// <summary>SQLITE_NOTADB: a file this version cannot read counts as unreadable, as a damaged one does.</summary>
    private const int NotADatabase = 26;

    private readonly string[] _scripts;
    private readonly Action<SqliteConnection>? _prepare;

    /// <param name="name">What the file is, for messages: "cache index".</param>
    /// <param name="scripts">The migrations in order.</param>
    /// <param name="prepare">Runs on the connection before the first pending migration, e.g. to register a function the scripts call.</param>
    public SqliteMigrations(string name, string[] scripts, Action<SqliteConnection>? prepare = null)
    {
        Name = name;
        _scripts = scripts;
        _prepare = prepare;
    }

    public string Name { get; }

    /// <summary>Gets the schema version this code writes: the number of migrations.</summary>
    public int Version => _scripts.Length;

    /// <summary>
    /// Runs the migrations the file has not had, each with its new version in one transaction: a failing one leaves the
    /// file at the version before it. Throws <see cref="SqliteException"/> for a file of a newer version, leaving it untouched.
    /// </summary>
    public void Apply(SqliteConnection connection)
    {
        var version = Convert.ToInt32(SqliteStore.Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
        if (version > Version)
        {
            // Written by a newer SDK: this one cannot read it safely.
            throw new SqliteException($"The {Name} has schema version {version}; this version of OfflineMedia reads up to {Version}.", NotADatabase);
        }

        if (version < Version)
        {
            _prepare?.Invoke(connection);
        }

        for (; version < Version; version++)
        {
            using var transaction = connection.BeginTransaction();
            using var command = SqliteStore.Command(connection, _scripts[version] + $"\nPRAGMA user_version = {version + 1};", transaction);
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }
}
