namespace OfflineMedia.Profiles;

/// <summary>Reads the free storage where the cache lives. The default asks the drive that holds the cache folder.</summary>
public interface IStorageProbe
{
    /// <summary>Gets the bytes available to this app on the volume that holds <paramref name="path"/>.</summary>
    /// <param name="path">The cache folder; it may not exist yet.</param>
    /// <returns>The available bytes, never negative.</returns>
    long GetAvailableBytes(string path);
}
