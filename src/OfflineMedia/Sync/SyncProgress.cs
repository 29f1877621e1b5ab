using OfflineMedia.Cache;

namespace OfflineMedia.Sync;

/// <summary>
/// Where a sync is. Counts cover the files this sync downloads; done values never go back, and
/// <see cref="BytesDone"/> never passes <see cref="BytesTotal"/> (which starts from estimates and
/// settles to real sizes as files finish). The first report comes once every exercise's media is known,
/// with the sync's totals; files that started downloading while it was read, and are done by then, are
/// counted in it.
/// </summary>
public sealed record SyncProgress
{
    /// <summary>Gets the files finished (downloaded, failed or left out).</summary>
    public required int FilesDone { get; init; }

    /// <summary>Gets the files this sync set out to download.</summary>
    public required int FilesTotal { get; init; }

    /// <summary>Gets the bytes received.</summary>
    public required long BytesDone { get; init; }

    /// <summary>Gets the bytes expected in all.</summary>
    public required long BytesTotal { get; init; }

    /// <summary>Gets the file being downloaded most recently, or <see langword="null"/>.</summary>
    public MediaKey? Current { get; init; }

    /// <summary>Gets the average download rate so far, in bytes per second.</summary>
    public required double BytesPerSecond { get; init; }

    /// <summary>Gets a value indicating whether the sync waits for its allowed network to come back.</summary>
    public bool IsPaused { get; init; }
}
