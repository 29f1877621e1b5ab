namespace OfflineMedia.Sync;

/// <summary>
/// Asked before a large download over cellular when <see cref="OfflineMediaOptions.ShowDataUsageWarnings"/> is on.
/// Apps plug in a prompt (<c>UseDataUsageConsent&lt;T&gt;()</c>); without one, large cellular downloads are declined.
/// </summary>
public interface IDataUsageConsent
{
    /// <summary>Asks whether a sync may download <paramref name="request"/>'s bytes over a metered connection.</summary>
    /// <param name="request">What the sync wants to download.</param>
    /// <param name="cancellationToken">Cancels the question (the sync was canceled).</param>
    /// <returns><see langword="true"/> to download.</returns>
    ValueTask<bool> ConfirmAsync(DataUsageRequest request, CancellationToken cancellationToken = default);
}
