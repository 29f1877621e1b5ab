namespace OfflineMedia.Cache.Internal;

/// <summary>
/// Byte progress that also hears when a body's last byte is in, before the file is moved into place and indexed.
/// The sync gives its network slot to the next download then, so flushing and indexing overlap a transfer.
/// </summary>
internal interface IDownloadProgress : IProgress<long>
{
    void BodyReceived();
}
