namespace OfflineMedia.Sync;

/// <summary>
/// Tunes how a sync waits between tries of one file, set with <c>ConfigureDownloadRetry</c> on the builder that
/// <c>AddOfflineMedia</c> returns. How many tries a file gets (<see cref="OfflineMediaOptions.MaxDownloadAttempts"/>),
/// the first wait (<see cref="OfflineMediaOptions.RetryBaseDelay"/>) and the longest <c>Retry-After</c> honoured
/// (<see cref="OfflineMediaOptions.MaxRetryAfter"/>) are user settings in <see cref="OfflineMediaOptions"/>.
/// </summary>
/// <remarks>
/// The wait before try <c>n + 1</c> is <c>RetryBaseDelay × 2^(n − 1)</c>, at most <see cref="MaxDelay"/>, scaled by a
/// random 50–100% when <see cref="UseJitter"/> is on; a server's <c>Retry-After</c> replaces it. The count of tries
/// restarts when a try moved an eighth of the file (at most 1 MiB), and losing the allowed network pauses the sync
/// without spending a try.
/// </remarks>
public sealed class DownloadRetryOptions
{
    /// <summary>Gets or sets the longest wait the backoff grows to between two tries of a file (a <c>Retry-After</c> is bounded by <see cref="OfflineMediaOptions.MaxRetryAfter"/> instead).</summary>
    /// <value>The default is 30 seconds. Allowed: 10 milliseconds to 1 hour.</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets a value indicating whether each wait is scaled by a random 50–100%, so devices that failed together do not all try again at once.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool UseJitter { get; set; } = true;

    internal static TimeSpan MinMaxDelay => TimeSpan.FromMilliseconds(10);

    internal static TimeSpan MaxMaxDelay => TimeSpan.FromHours(1);

    /// <summary>The problem with these options, in words that name the option and its range; <see langword="null"/> when valid.</summary>
    internal string? Problem() =>
        MaxDelay < MinMaxDelay || MaxDelay > MaxMaxDelay
            ? $"DownloadRetryOptions.MaxDelay is {MaxDelay}; it must be between {MinMaxDelay} and {MaxMaxDelay}."
            : null;
}
