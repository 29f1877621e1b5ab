using Microsoft.Data.Sqlite;

namespace OfflineMedia.Cache.Internal;

internal sealed partial class MediaIndex
{
    /// <summary>The paths of files committed but not yet known to be on disk.</summary>
    public HashSet<string> UnflushedFiles() => Texts("SELECT path FROM unflushed");

    /// <summary>Forgets every unflushed file: on open, once each is checked.</summary>
    public void ClearUnflushed()
    {
        using var writer = _store.Write();
        writer.Execute("DELETE FROM unflushed");
    }

    /// <summary>Forgets files now flushed to disk, or gone, unless committed again since.</summary>
    public void ForgetUnflushed(IReadOnlyCollection<CommittedFile> files)
    {
        if (files.Count == 0)
        {
            return;
        }

        ForEach(
            "DELETE FROM unflushed WHERE path = $path AND commit_id = $commit",
            files,
            static command =>
            {
                command.Parameters.Add("$path", SqliteType.Text);
                command.Parameters.Add("$commit", SqliteType.Integer);
            },
            static (command, file) =>
            {
                command.Parameters[0].Value = file.IndexPath;
                command.Parameters[1].Value = file.Commit;
            });
    }
}
