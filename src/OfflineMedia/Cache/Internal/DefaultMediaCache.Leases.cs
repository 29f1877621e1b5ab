using Microsoft.Data.Sqlite;
using OfflineMedia.Diagnostics;

namespace OfflineMedia.Cache.Internal;

internal sealed partial class DefaultMediaCache
{
    private static readonly TimeSpan s_firstLeasePause = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan s_longestLeasePause = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Downloads <paramref name="key"/> once across every instance that shares the folder, in this process or another:
    /// <see cref="DownloadFlights"/> joins the callers of this instance, and a lease in the index (<see cref="LeaseAsync"/>)
    /// makes another instance's download of the key wait for this one and take its file.
    /// </summary>
    private async Task<CachedMedia> DownloadCoreAsync(
        MediaKey key, MediaSource source, bool revalidate, IProgress<long> progress, ITransferSlot slot, CancellationToken cancellationToken)
    {
        if (await LeaseAsync(key, source, revalidate, cancellationToken).ConfigureAwait(false) is { } done)
        {
            return done;
        }

        try
        {
            return await DownloadLeasedAsync(key, source, revalidate, progress, slot, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            EndLease(key);
            throw;
        }
    }

    /// <summary>
    /// Takes this instance's lease on downloading <paramref name="key"/>. While another live instance holds it, waits (on
    /// real time: a test's fake clock cannot make another process finish) with growing pauses, until that one's file is
    /// in the index or its lease ends; a holder that is gone (killed mid-download) loses its lease at once.
    /// </summary>
    /// <returns>
    /// The file when another instance committed it (or, for a revalidation, refreshed it) since this call began, with
    /// this instance holding no lease; otherwise <see langword="null"/>, with the lease held.
    /// </returns>
    private async Task<CachedMedia?> LeaseAsync(MediaKey key, MediaSource source, bool revalidate, CancellationToken cancellationToken)
    {
        var pause = s_firstLeasePause;
        var waiting = false;
        while (await _commits.LeaseAsync(key).ConfigureAwait(false) is not null)
        {
            if (!waiting)
            {
                waiting = true;
                Log.WaitingForAnotherInstance(_logger, key);
            }

            await Task.Delay(pause, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            pause = pause < s_longestLeasePause ? pause * 2 : s_longestLeasePause;
            if (DoneMeanwhile(key, source, revalidate, waited: true) is { } media)
            {
                return media;
            }
        }

        // The lease is this instance's. The instance that held it before may have committed the file just before it let go.
        if (DoneMeanwhile(key, source, revalidate, waiting) is { } committed)
        {
            EndLease(key);
            return committed;
        }

        return null;
    }

    /// <summary>
    /// The file of <paramref name="key"/> when it needs no download any more: for a download, in the index as
    /// <paramref name="source"/> describes it; for a revalidation, in the index after another instance's download or
    /// revalidation of it, which this one <paramref name="waited"/> for.
    /// </summary>
    private CachedMedia? DoneMeanwhile(MediaKey key, MediaSource source, bool revalidate, bool waited) =>
        (!revalidate || waited) && Index.Find(key) is { } entry && Verify(entry) is { } media && (revalidate || Matches(media, source))
            ? media
            : null;

    /// <summary>Ends this instance's lease on <paramref name="key"/> after a download that failed or was not needed.</summary>
    private void EndLease(MediaKey key)
    {
        try
        {
            Index.EndLease(key, _instances.Id);
        }
        catch (SqliteException ex)
        {
            // Another instance waits for it until this one closes (a closed instance's leases are taken over).
            Log.LeaseNotEnded(_logger, key, ex);
        }
    }
}
