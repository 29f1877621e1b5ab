using System.IO.Abstractions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using OfflineMedia.Diagnostics;

namespace OfflineMedia.Cache.Internal;

/// <summary>
/// Claims the cache folder before anything in it is written or deleted: the folder must be the cache's own (marked,
/// empty, or a cache of an earlier version), private to the user, and free of links. Repair deletes files without an
/// index row, so adopting a folder of someone else's files would delete them.
/// </summary>
internal static class CacheOwnership
{
    private const string MarkerText =
        "This folder is an OfflineMedia media cache. The cache owns everything in it and may delete any file here;\n" +
        "keep nothing else in it. Deleting the whole folder clears the cache.\n";

    /// <summary>The names the SDK itself writes at the root: the cache's index and folders, the sync state, the catalog's responses, the user's settings.</summary>
    private static readonly string[] s_ownNames =
    [
        CachePaths.MarkerFileName, "index.db", "index.db-wal", "index.db-shm", "index.db-journal", "media", "tmp",
        "sync.db", "sync.db-wal", "sync.db-shm", "sync.db-journal", "settings.json", "settings.json.tmp",
        "catalog.db", "catalog.db-wal", "catalog.db-shm", "catalog.db-journal",
    ];

    /// <summary>Creates, adopts or checks the cache folder, and its <c>media/{kind}</c> and <c>tmp</c> folders.</summary>
    /// <exception cref="MediaCacheException"><see cref="MediaCacheError.CacheFolderRefused"/> when the folder is not one the cache can own.</exception>
    public static void Claim(IFileSystem fileSystem, CachePaths paths, ILogger logger)
    {
        paths.ForgetCheckedFolders(); // Every open checks every folder again, whatever an earlier one found.
        paths.CreateFolder(paths.Root);
        var root = fileSystem.DirectoryInfo.New(paths.Root);
        var entries = root.GetFileSystemInfos();
        foreach (var entry in entries)
        {
            if (CachePaths.IsLink(entry))
            {
                throw CachePaths.LinkRefused(entry.FullName);
            }
        }

        var marker = fileSystem.FileInfo.New(paths.MarkerFile);
        if (!marker.Exists)
        {
            var adopted = CheckAdoptable(fileSystem, paths, entries);
            paths.MakePrivate(paths.Root);
            fileSystem.File.WriteAllText(paths.MarkerFile, MarkerText);
            if (adopted)
            {
                Log.CacheFolderAdopted(logger, paths.Root);
            }
        }
        else
        {
            paths.MakePrivate(paths.Root);
        }

        paths.CreateFolder(paths.TempDirectory);
        foreach (var kind in CachePaths.KindFolders)
        {
            paths.CreateFolder(fileSystem.Path.Combine(paths.MediaDirectory, kind));
        }
    }

    /// <summary>
    /// A folder without the marker is the cache's own when it holds only what the SDK writes, and either an index of
    /// OfflineMedia (a cache of an earlier version, which wrote no marker) or no media yet.
    /// </summary>
    /// <returns>Whether it is a cache of an earlier version.</returns>
    private static bool CheckAdoptable(IFileSystem fileSystem, CachePaths paths, IFileSystemInfo[] entries)
    {
        foreach (var entry in entries)
        {
            if (Array.IndexOf(s_ownNames, entry.Name) < 0 && !entry.Name.StartsWith("index.db.corrupt-", StringComparison.Ordinal))
            {
                throw NotOwned(paths.Root, $"it holds '{entry.Name}', which the cache did not create");
            }
        }

        if (fileSystem.File.Exists(paths.IndexFile))
        {
            return IsMediaIndex(paths.IndexFile) ? true : throw NotOwned(paths.Root, "its index.db is not an index of the OfflineMedia cache");
        }

        foreach (var folder in (string[])[paths.MediaDirectory, paths.TempDirectory])
        {
            if (fileSystem.Directory.Exists(folder) && fileSystem.Directory.EnumerateFileSystemEntries(folder).Any())
            {
                throw NotOwned(paths.Root, $"its '{fileSystem.Path.GetFileName(folder)}' folder holds files but there is no cache index");
            }
        }

        return false;
    }

    /// <summary>Whether the file is an index the cache wrote (any schema version): a database with its tables.</summary>
    private static bool IsMediaIndex(string path)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString();
        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'entries', 'pins')";
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 3;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    private static MediaCacheException NotOwned(string root, string reason) => new(
        MediaCacheError.CacheFolderRefused,
        $"The folder '{root}' is not an OfflineMedia cache: {reason}. The cache deletes files it does not know in its folder, so it " +
        "refuses a folder it did not create. Set CacheDirectory to a new or empty folder in the app's private storage, used for nothing else.");
}
