namespace OfflineMedia.Cache.Internal;

/// <summary>Where <see cref="MediaDownloader"/> keeps what a partial file needs to resume, by the partial file's path.</summary>
internal interface IPartialDownloadStore
{
    PartialDownload? Find(string partialPath);

    void Save(string partialPath, PartialDownload partial);

    void Remove(string partialPath);
}
