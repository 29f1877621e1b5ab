using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>Reads and writes a SQLite file directly, as another program (or an earlier version of the SDK) would.</summary>
public static class SqliteFile
{
    public static void Execute(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static List<string> Column(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var rows = command.ExecuteReader();
        var values = new List<string>();
        while (rows.Read())
        {
            values.Add(Convert.ToString(rows.GetValue(0), CultureInfo.InvariantCulture)!);
        }

        return values;
    }

    public static int UserVersion(string path) => int.Parse(Column(path, "PRAGMA user_version")[0], CultureInfo.InvariantCulture);

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
