using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;
using OfflineMedia.Sync;
using OfflineMedia.Sync.Internal;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.Tests.Sync;

/// <summary>
/// One file's transfer through the retry policy, on a fake clock: each test scripts the tries of a substituted
/// <see cref="IMediaDownloads"/> and moves time on until the file is done.
/// </summary>
public sealed class ItemFetcherTests : IDisposable
{
    private static readonly MediaKey s_key = new("squat", MediaKind.Video, MediaVariantNames.Video720p);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
    private readonly FakeConnectivityProbe _network = new(FakeConnectivityProbe.WiFi);
    private readonly IMediaDownloads _downloads = Substitute.For<IMediaDownloads>();
    private readonly ConcurrentQueue<DateTimeOffset> _tries = new();
    private readonly PlannedItem _item = new(s_key, new MediaSource("https://media.example/v.mp4", 80_000), 80_000);
    private readonly OfflineMediaOptions _options = new()
    {
        RetryBaseDelay = TimeSpan.FromSeconds(1),
        MaxDownloadAttempts = 4,
        MaxRetryAfter = TimeSpan.FromSeconds(30),
        MaxParallelDownloads = 2,
    };

    private DownloadRetryOptions _retry = new() { UseJitter = false };
    private FetchRun? _run;

    public ItemFetcherTests()
    {
        Try = (_, _, _) => Task.FromResult(Media());
        _downloads.GetOrDownloadAsync(s_key, Arg.Any<MediaSource>(), Arg.Any<IProgress<long>?>(), Arg.Any<ITransferSlot?>(), Arg.Any<CancellationToken>())
            .Returns(ci =>
            {
                _tries.Enqueue(_time.GetUtcNow());
                return Try(ci.Arg<IProgress<long>?>()!, ci.Arg<ITransferSlot?>()!, ci.Arg<CancellationToken>());
            });
    }

    /// <summary>Gets or sets what one try does: given the file's progress, its transfer slot and the try's token.</summary>
    private Func<IProgress<long>, ITransferSlot, CancellationToken, Task<CachedMedia>> Try { get; set; }

    public void Dispose() => _run?.Dispose();

    [Fact]
    public async Task FetchAsync_TransientFailures_WaitTheBackoffOnTheSyncsClockDoublingUpToMaxDelay()
    {
        _options.MaxDownloadAttempts = 5;
        _retry = new DownloadRetryOptions { UseJitter = false, MaxDelay = TimeSpan.FromSeconds(3) };
        Try = (_, _, _) => _tries.Count < 5 ? Task.FromException<CachedMedia>(Unavailable()) : Task.FromResult(Media());

        var result = await RunToEndAsync();

        Assert.Equal(SyncItemOutcome.Downloaded, result.Outcome);
        AssertGaps(1, 2, 3, 3);
    }

    [Fact]
    public async Task FetchAsync_RetryAfter_WaitsWhatTheServerAskedInsteadOfTheBackoff()
    {
        Try = (_, _, _) => _tries.Count == 1
            ? Task.FromException<CachedMedia>(Unavailable(retryAfter: TimeSpan.FromSeconds(7)))
            : Task.FromResult(Media());

        var result = await RunToEndAsync();

        Assert.Equal(SyncItemOutcome.Downloaded, result.Outcome);
        AssertGaps(7);
    }

    [Fact]
    public async Task FetchAsync_RetryAfterBeyondMaxRetryAfter_FailsAtOnceSayingWhenTheServerAskedToBeTriedAgain()
    {
        Try = (_, _, _) => Task.FromException<CachedMedia>(Unavailable(retryAfter: TimeSpan.FromMinutes(2)));

        var result = await RunToEndAsync();

        Assert.Equal(SyncItemOutcome.Failed, result.Outcome);
        Assert.Single(_tries);
        Assert.Contains("asked to be tried again in 120 s (at 2026-03-02 08:02:00Z)", result.Reason, StringComparison.Ordinal);
        Assert.Contains("MaxRetryAfter", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_EveryTryMovesAnEighthOfTheFile_TheCountRestartsAndTheFileFinishes()
    {
        _options.MaxDownloadAttempts = 2;
        Try = (progress, _, _) =>
        {
            if (_tries.Count <= 5)
            {
                progress.Report(_tries.Count * 10_000); // An eighth of the 80,000 bytes per try.
                return Task.FromException<CachedMedia>(new MediaCacheException(MediaCacheError.Network, "dropped"));
            }

            return Task.FromResult(Media());
        };

        var result = await RunToEndAsync();

        Assert.Equal(SyncItemOutcome.Downloaded, result.Outcome);
        Assert.Equal(6, _tries.Count);
        AssertGaps(1, 1, 1, 1, 1); // The backoff restarts with the count.
    }

    [Fact]
    public async Task FetchAsync_ACancellationTheSyncDidNotAskFor_CountsATryAndFailsAfterMaxDownloadAttempts()
    {
        _options.MaxDownloadAttempts = 3;
        Try = (_, _, _) => Task.FromException<CachedMedia>(new TaskCanceledException("A handler's own timeout."));

        var result = await RunToEndAsync();

        Assert.Equal(SyncItemOutcome.Failed, result.Outcome);
        Assert.Equal(3, _tries.Count);
        Assert.Equal(MediaCacheError.Network, result.Error);
        Assert.Contains("canceled before it finished by something other than the sync", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_TheNetworkGoesDuringATry_TriesAgainWhenItIsBackWithoutCountingIt()
    {
        _options.MaxDownloadAttempts = 1;
        Try = async (_, _, token) =>
        {
            if (_tries.Count == 1)
            {
                _network.Set(FakeConnectivityProbe.Cellular); // WiFiOnly: the allowed network is gone, and this try with it.
                await Task.Delay(Timeout.Infinite, token);
            }

            return Media();
        };

        var fetch = StartAsync();
        await WaitUntilAsync(() => !_run!.Gate.IsAllowed && _tries.Count == 1);
        _network.Set(FakeConnectivityProbe.WiFi);
        var result = await fetch.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SyncItemOutcome.Downloaded, result.Outcome);
        Assert.Equal(2, _tries.Count);
    }

    [Fact]
    public async Task FetchAsync_TheBodyIsIn_TheSlotIsFreeBeforeTheTryEnds()
    {
        var freeBeforeTransfer = -1;
        var freeDuringTry = -1;
        var freeAfterBody = -1;
        Try = async (_, slot, token) =>
        {
            freeBeforeTransfer = _run!.Slots.Free; // The cache takes it once it holds the lease and is about to send.
            await slot.TakeAsync(token);
            freeDuringTry = _run.Slots.Free;
            slot.Release();
            slot.Release(); // Given back once, however often it is called.
            freeAfterBody = _run.Slots.Free;
            return Media();
        };

        await RunToEndAsync();

        Assert.Equal(2, freeBeforeTransfer);
        Assert.Equal(1, freeDuringTry);
        Assert.Equal(2, freeAfterBody);
        Assert.Equal(2, _run!.Slots.Free);
    }

    [Fact]
    public async Task FetchAsync_TheSlotArrivesAfterTheTryEnded_GoesStraightBack()
    {
        var taken = new TaskCompletionSource<ITransferSlot>();
        Try = (_, slot, _) =>
        {
            taken.SetResult(slot);
            return Task.FromException<CachedMedia>(new MediaCacheException(MediaCacheError.VerificationFailed, "refused"));
        };

        var result = await RunToEndAsync();
        await (await taken.Task).TakeAsync(CancellationToken.None); // As a shared download would, for a caller gone.

        Assert.Equal(SyncItemOutcome.Failed, result.Outcome);
        Assert.Equal(2, _run!.Slots.Free);
    }

    [Fact]
    public async Task FetchAsync_AFailedTry_GivesItsSlotBackBeforeTheBackoff()
    {
        Try = async (_, slot, token) =>
        {
            await slot.TakeAsync(token);
            return _tries.Count == 1 ? throw Unavailable() : Media();
        };

        var fetch = StartAsync();
        await WaitUntilAsync(() => _tries.Count == 1 && _run!.Slots.Free == 2);
        Assert.False(fetch.IsCompleted); // Backing off, holding no slot.
        _time.Advance(TimeSpan.FromSeconds(1));
        var result = await fetch.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SyncItemOutcome.Downloaded, result.Outcome);
    }

    [Fact]
    public async Task FetchAsync_TheSyncTimeoutPasses_TheFileFailsWithThatReason()
    {
        _options.SyncTimeout = TimeSpan.FromSeconds(10);
        Try = async (_, _, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return Media();
        };

        var result = await RunToEndAsync();

        Assert.Equal(SyncItemOutcome.Failed, result.Outcome);
        Assert.Contains("SyncTimeout", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_TheCallerCancels_Throws()
    {
        using var caller = new CancellationTokenSource();
        Try = async (_, _, token) =>
        {
            await caller.CancelAsync();
            await Task.Delay(Timeout.Infinite, token);
            return Media();
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => StartAsync(caller.Token));
    }

    private static MediaCacheException Unavailable(TimeSpan? retryAfter = null) =>
        new(MediaCacheError.HttpStatus, "503") { StatusCode = HttpStatusCode.ServiceUnavailable, RetryAfter = retryAfter };

    private CachedMedia Media() => new()
    {
        Key = s_key,
        LocalPath = "/cache/v.mp4",
        SourceUrl = "https://media.example/v.mp4",
        Bytes = 80_000,
        CachedAt = _time.GetUtcNow(),
        LastAccessedAt = _time.GetUtcNow(),
    };

    private Task<SyncItemResult> StartAsync(CancellationToken cancellationToken = default)
    {
        var fetcher = new ItemFetcher(
            Substitute.For<IMediaCache>(), _downloads, _network, new OfflineMedia.Storage.Internal.OfflineMediaEvents(),
            Microsoft.Extensions.Options.Options.Create(_retry), _time, NullLogger<ItemFetcher>.Instance);
        var tracker = new ProgressTracker(null, _time, [_item]);
        _run = fetcher.Open(_options, explicitRequest: true, _time.GetUtcNow(), tracker);
        return fetcher.FetchAsync(_run, _item, revalidate: false, cancellationToken);
    }

    /// <summary>Runs the fetch, moving the fake clock on in small steps until it ends (bounded, so a bug cannot hang the test).</summary>
    private async Task<SyncItemResult> RunToEndAsync()
    {
        var fetch = StartAsync();
        for (var step = 0; step < 2_000 && !fetch.IsCompleted; step++)
        {
            await Task.Delay(1);
            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        return await fetch.WaitAsync(TimeSpan.FromSeconds(5));
    }

    /// <summary>The waits between tries, on the fake clock: each at least what was expected, and at most a few clock steps more.</summary>
    private void AssertGaps(params double[] seconds)
    {
        var at = _tries.ToArray();
        var gaps = at.Skip(1).Select((t, i) => (t - at[i]).TotalSeconds).ToArray();
        Assert.Equal(seconds.Length, gaps.Length);
        for (var i = 0; i < gaps.Length; i++)
        {
            Assert.InRange(gaps[i], seconds[i], seconds[i] + 0.3);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1_000 && !condition(); i++)
        {
            await Task.Delay(5);
        }

        Assert.True(condition());
    }
}
