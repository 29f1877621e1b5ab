using Microsoft.Data.Sqlite;
using OfflineMedia.Diagnostics;

namespace OfflineMedia.Cache.Internal;

internal sealed partial class DefaultMediaCache
{
    /// <summary>Keeps what partial downloads need to resume in the index, under the partial file's name.</summary>
    private sealed class IndexedPartials(DefaultMediaCache cache) : IPartialDownloadStore
    {
        public PartialDownload? Find(string partialPath) => cache.Index.FindPartial(Path.GetFileName(partialPath));

        public void Save(string partialPath, PartialDownload partial)
        {
            try
            {
                cache.Index.SavePartial(Path.GetFileName(partialPath), partial);
            }
            catch (SqliteException ex)
            {
                // Without it the download cannot resume, but it can still complete.
                Log.ResumeStateNotWritten(cache._logger, ex);
            }
        }

        public void Remove(string partialPath) => cache.Index.RemovePartials([Path.GetFileName(partialPath)]);
    }
}
