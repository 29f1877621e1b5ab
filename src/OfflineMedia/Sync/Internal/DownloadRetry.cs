using System.Globalization;
using Microsoft.Extensions.Logging;
using OfflineMedia.Cache;
using OfflineMedia.Diagnostics;
using Polly;
using Polly.Retry;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// The retry policy of a sync's files, as a Polly <see cref="ResiliencePipeline"/> run once per file (its state in
/// <see cref="ItemTries"/> on the context): a transient failure waits (<c>Retry-After</c> up to <c>MaxRetryAfter</c>,
/// else exponential backoff with jitter) and tries again, up to <c>MaxDownloadAttempts</c> counted tries, the count
/// restarting when a try moved a real part of the file; a try the network loss ended is tried again at once, uncounted
/// (the next try waits for the network first). Polly owns the loop and the waits, on the sync's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class DownloadRetry
{
    private readonly OfflineMediaOptions _options;
    private readonly DownloadRetryOptions _retry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public DownloadRetry(OfflineMediaOptions options, DownloadRetryOptions retry, TimeProvider time, ILogger logger)
    {
        _options = options;
        _retry = retry;
        _time = time;
        _logger = logger;
        Pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                // The policy counts tries itself (the count restarts on progress; a network loss is not counted).
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => new ValueTask<bool>(args.Outcome.Exception is { } error && ShouldRetry(TriesOf(args.Context), error)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(TriesOf(args.Context).NextDelay),
                OnRetry = args =>
                {
                    var tries = TriesOf(args.Context);
                    if (tries.LastEnd?.End is not TryEnd.NetworkLost)
                    {
                        Log.Retrying(_logger, tries.Item.Key, tries.Failures, args.RetryDelay.TotalMilliseconds, args.Outcome.Exception!.Message);
                    }

                    return default;
                },
            })
            .Build();
    }

    /// <summary>Gets the pipeline to run each try of a file through; the file's <see cref="ItemTries"/> must be on the context.</summary>
    public ResiliencePipeline Pipeline { get; }

    /// <summary>
    /// Decides after a try that ended with <paramref name="error"/>: true to try again after <see cref="ItemTries.NextDelay"/>;
    /// false to stop, with <see cref="ItemTries.FinalReason"/> set when the file failed here.
    /// </summary>
    internal bool ShouldRetry(ItemTries tries, Exception error)
    {
        // Only what a try threw and classified; a cancel raised by the pipeline itself ends the file.
        if (tries.LastEnd is not ({ } end, var thrown) || !ReferenceEquals(thrown, error))
        {
            return false;
        }

        switch (end)
        {
            case TryEnd.NetworkLost:
                tries.NextDelay = TimeSpan.Zero; // The next try waits for the network itself.
                return true;
            case TryEnd.Fault or TryEnd.Unexplained:
                return Counted(tries, error as MediaCacheException);
            default:
                return false;
        }
    }

    /// <summary>The wait before try <paramref name="failures"/> + 1: base × 2^(failures−1), at most <c>MaxDelay</c>, scaled by a random 50–100% with jitter.</summary>
    internal TimeSpan Backoff(int failures)
    {
        var exponential = _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, failures - 1);
        var capped = Math.Min(exponential, _retry.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(_retry.UseJitter ? capped * (0.5 + (Random.Shared.NextDouble() / 2)) : capped);
    }

    private static ItemTries TriesOf(ResilienceContext context) => context.Properties.GetValue(ItemTries.Key, null!);

    private bool Counted(ItemTries tries, MediaCacheException? error)
    {
        var failures = tries.CountFailure();
        var retryAfter = error?.RetryAfter;
        var tooLate = retryAfter > _options.MaxRetryAfter;
        if (error is { IsTransient: false } || failures >= _options.MaxDownloadAttempts || tooLate)
        {
            tries.FinalReason = tooLate ? TooLate(error!, retryAfter!.Value) : Reason(error);
            Log.ItemFailed(_logger, tries.Item.Key, failures, tries.FinalReason);
            return false;
        }

        tries.NextDelay = retryAfter ?? Backoff(failures);
        return true;
    }

    private static string Reason(MediaCacheException? error) =>
        error?.Message ?? "the download was canceled before it finished by something other than the sync (for example a timeout in the media HttpClient)";

    private string TooLate(MediaCacheException error, TimeSpan retryAfter) =>
        $"{error.Message} The server asked to be tried again in {retryAfter.TotalSeconds:0} s (at {(_time.GetUtcNow() + retryAfter).ToString("u", CultureInfo.InvariantCulture)}), " +
        $"longer than a sync waits (MaxRetryAfter, {_options.MaxRetryAfter}); the next sync tries again";
}
