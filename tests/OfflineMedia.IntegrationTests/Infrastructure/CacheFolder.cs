using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>Looks at a cache folder from outside, as a user with a file manager would.</summary>
internal static class CacheFolder
{
    public static string MediaDirectory(string root) => Path.Combine(root, "media");

    public static string TempDirectory(string root) => Path.Combine(root, "tmp");

    public static string IndexFile(string root) => Path.Combine(root, "index.db");

    /// <summary>Every file under <c>media/</c>, sorted.</summary>
    public static string[] MediaFiles(string root) => FilesUnder(MediaDirectory(root));

    /// <summary>Every file under <c>tmp/</c> (partial files), sorted.</summary>
    /// <summary>The files of downloads in <c>tmp/</c>: all but the open lock and the live files of cache instances open on the folder.</summary>
    public static string[] TempFiles(string root) =>
        [.. FilesUnder(TempDirectory(root)).Where(f => Path.GetFileName(f) != "open.lock" && !f.EndsWith(".live", StringComparison.Ordinal))];

    /// <summary>The live files of the cache instances open on the folder (or of instances ended without closing, until the next open).</summary>
    public static string[] LiveInstanceFiles(string root) => [.. FilesUnder(TempDirectory(root)).Where(f => f.EndsWith(".live", StringComparison.Ordinal))];

    public static string[] PartialFiles(string root) => [.. TempFiles(root).Where(f => f.EndsWith(".part", StringComparison.Ordinal))];

    /// <summary>A value of the index's <c>meta</c> table (such as <c>clean</c>), or <see langword="null"/>.</summary>
    public static string? IndexMeta(string root, string key) =>
        QueryIndex(root, $"SELECT value FROM meta WHERE key = '{key}'", static rows => rows.GetString(0)).SingleOrDefault();

    /// <summary>The files of rows gone that the index lists for deletion once their grace period ends, by path in the index.</summary>
    public static List<string> RetiredFiles(string root) =>
        QueryIndex(root, "SELECT path FROM retired ORDER BY path", static rows => rows.GetString(0));

    /// <summary>The path the index records for a file under the cache folder.</summary>
    public static string IndexPath(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    /// <summary>The media files the index records as committed but not yet flushed to disk, by path under <c>media/</c>.</summary>
    public static List<string> UnflushedFiles(string root) =>
        QueryIndex(root, "SELECT path FROM unflushed ORDER BY path", static rows => rows.GetString(0));

    /// <summary>The media files the index records as cached, by path under <c>media/</c>; none before the index exists.</summary>
    public static List<string> CommittedFiles(string root) =>
        File.Exists(IndexFile(root)) ? QueryIndex(root, "SELECT path FROM entries ORDER BY path", static rows => rows.GetString(0)) : [];

    /// <summary>The partial downloads the index records, by file name, with the ETag each resumes against.</summary>
    public static List<(string File, string? ETag)> RecordedPartials(string root) =>
        QueryIndex(root, "SELECT file, etag FROM partials ORDER BY file", static rows => (rows.GetString(0), rows.IsDBNull(1) ? null : rows.GetString(1)));

    private static List<T> QueryIndex<T>(string root, string sql, Func<SqliteDataReader, T> read)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = IndexFile(root), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var rows = command.ExecuteReader();
        var found = new List<T>();
        while (rows.Read())
        {
            found.Add(read(rows));
        }

        return found;
    }

    public static string[] FilesUnder(string directory) =>
        Directory.Exists(directory) ? [.. Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)] : [];

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// Waits until the one partial file exists and its download has ended (the download's lease on its key, in the index,
    /// ends after the partial file is closed), then returns its length: what a resume must start from.
    /// </summary>
    public static async Task<long> WaitForReleasedPartialAsync(string root)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (PartialFiles(root) is [var partial] && QueryIndex(root, "SELECT count(*) FROM leases", static rows => rows.GetInt64(0)).Single() == 0)
            {
                return new FileInfo(partial).Length;
            }
            else if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"Expected one partial file in tmp/, found: {string.Join(", ", TempFiles(root))}.");
            }

            await Task.Delay(20);
        }
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            await Task.Delay(10);
        }
    }
}
