using System.Diagnostics;
using System.IO.Abstractions;
using Microsoft.Data.Sqlite;

namespace OfflineMedia.TestHost;

/// <summary>
/// The real file system, except that the process kills itself (SIGKILL, as the OS ends an app) right after moving a file
/// into <c>media/</c> while the file moved before it has no row in the index yet: between the moves and the rows of one
/// group commit. The first move waits a moment, so the downloads running meanwhile finish and are committed together next.
/// Prints <c>killed PATH PATH</c> (the two files moved, as the index names them) just before.
/// </summary>
internal sealed class KillInGroupFileSystem : FileSystem
{
    private readonly KillingFile _file;

    public KillInGroupFileSystem(string cacheDirectory) => _file = new KillingFile(this, System.IO.Path.GetFullPath(cacheDirectory));

    public override IFile File => _file;

    private sealed class KillingFile(IFileSystem fileSystem, string root) : FileWrapper(fileSystem)
    {
        private readonly object _gate = new();
        private string? _lastMoved;

        public override void Move(string sourceFileName, string destFileName, bool overwrite)
        {
            var path = System.IO.Path.GetRelativePath(root, destFileName).Replace('\\', '/');
            if (!path.StartsWith("media/", StringComparison.Ordinal))
            {
                base.Move(sourceFileName, destFileName, overwrite);
                return;
            }

            lock (_gate)
            {
                var previous = _lastMoved;
                base.Move(sourceFileName, destFileName, overwrite);
                _lastMoved = path;
                if (previous is null)
                {
                    Thread.Sleep(300); // In the first group's transaction: the others finish meanwhile and queue for the next.
                }
                else if (!HasRow(previous))
                {
                    Console.Out.WriteLine($"killed {previous} {path}");
                    Console.Out.Flush();
                    Process.GetCurrentProcess().Kill();
                    Thread.Sleep(Timeout.Infinite);
                }
            }
        }

        /// <summary>Whether a reader of the index sees a row for <paramref name="path"/>: only once its transaction committed.</summary>
        private bool HasRow(string path)
        {
            using var connection = new SqliteConnection($"Data Source={System.IO.Path.Combine(root, "index.db")};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM entries WHERE path = $path";
            command.Parameters.AddWithValue("$path", path);
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
        }
    }
}
