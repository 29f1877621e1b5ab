using System.IO.Abstractions;
using Microsoft.Extensions.Logging;
using OfflineMedia.Diagnostics;

namespace OfflineMedia.Profiles.Internal;

/// <summary>The default storage probe: the space available on the drive that holds the cache folder.</summary>
internal sealed class DriveStorageProbe(IFileSystem fileSystem, ILogger<DriveStorageProbe> logger) : IStorageProbe
{
    public long GetAvailableBytes(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            // The cache folder may not exist yet: ask about its nearest existing ancestor.
            var existing = fileSystem.Path.GetFullPath(path);
            while (!fileSystem.Directory.Exists(existing))
            {
                var parent = fileSystem.Path.GetDirectoryName(existing);
                if (parent is null)
                {
                    break;
                }

                existing = parent;
            }

            return Math.Max(0, fileSystem.DriveInfo.New(existing).AvailableFreeSpace);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Unknown free space is reported as none, so nothing is downloaded on a guess.
            Log.StorageProbeFailed(logger, path, ex);
            return 0;
        }
    }
}
