using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using OfflineMedia.Cache;
using OfflineMedia.Catalog;
using OfflineMedia.Profiles;
using OfflineMedia.Sync;
using OfflineMedia.Sync.Internal;
using OfflineMedia.Testing;
using OfflineMedia.Variants;
using OfflineMedia.Variants.Internal;

namespace OfflineMedia.Tests.Sync;

/// <summary>
/// The scheduler's decisions with its collaborators substituted: the catalog and media client (NSubstitute), and a
/// cache substitute backed by a dictionary whose downloads each test scripts per key.
/// </summary>
public sealed class DefaultSyncSchedulerTests : IDisposable
{
    private static readonly DateTimeOffset s_soon = DateTimeOffset.UtcNow.AddHours(2);

    private readonly string _directory = SyncParts.NewFolder();
    private readonly IWorkoutCatalog _catalog = Substitute.For<IWorkoutCatalog>();
    private readonly IExerciseMediaClient _mediaClient = Substitute.For<IExerciseMediaClient>();
    private readonly IMediaCache _cache = Substitute.For<IMediaCache>();
    private readonly IDataUsageConsent _consent = Substitute.For<IDataUsageConsent>();
    private readonly FakeConnectivityProbe _network = new(FakeConnectivityProbe.WiFi);
    private readonly FakeStorageProbe _storage = FakeStorageProbe.WithGigabytes(100);
    private readonly ConcurrentDictionary<MediaKey, CachedMedia> _stored = new();
    private readonly ConcurrentDictionary<MediaKey, int> _downloadCalls = new();
    private readonly OfflineMediaOptions _options;
    private readonly SyncParts _parts;
    private readonly DefaultSyncScheduler _scheduler;

    public DefaultSyncSchedulerTests()
    {
        _options = new OfflineMediaOptions
        {
            CacheDirectory = _directory,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            StorageReserveBytes = 0,
            SyncPauseTimeout = TimeSpan.FromSeconds(10),
        };
#pragma warning disable CA2012 // Configuring a substitute's ValueTask member: the call is recorded, never awaited.
        _cache.TryGetAsync(Arg.Any<MediaKey>(), Arg.Any<CancellationToken>())
            .Returns(ci => ValueTask.FromResult(_stored.GetValueOrDefault(ci.Arg<MediaKey>())));
#pragma warning restore CA2012
        _cache.GetEntriesAsync(Arg.Any<string>(), Arg.Any<CancellationToken>())
            .Returns(ci => Task.FromResult<IReadOnlyList<CachedMedia>>([.. _stored.Values.Where(m => m.Key.ExerciseId == ci.Arg<string>())]));
        _cache.GetUsageAsync(Arg.Any<CancellationToken>())
            .Returns(_ => Task.FromResult(new CacheUsage(_stored.Values.Sum(m => m.Bytes), _stored.Count, 0, 0, 0, 0, 0, _options.CacheSizeLimitBytes)));
        _cache.TrimAsync(Arg.Any<long>(), Arg.Any<CancellationToken>())
            .Returns(ci => Task.FromResult(new TrimResult(0, 0, 0, ci.Arg<long>(), [])));
        Download = (key, source, _, _) => Task.FromResult(Store(key, source.ExpectedBytes ?? 1_000));
        _cache.GetOrDownloadAsync(Arg.Any<MediaKey>(), Arg.Any<MediaSource>(), Arg.Any<IProgress<long>?>(), Arg.Any<CancellationToken>())
            .Returns(ci =>
            {
                var key = ci.Arg<MediaKey>();
                _downloadCalls.AddOrUpdate(key, 1, (_, n) => n + 1);
                return Download(key, ci.Arg<MediaSource>(), ci.Arg<IProgress<long>?>(), ci.Arg<CancellationToken>());
            });
        _cache.RevalidateAsync(Arg.Any<MediaKey>(), Arg.Any<MediaSource>(), Arg.Any<IProgress<long>?>(), Arg.Any<CancellationToken>())
            .Returns(ci => Task.FromResult(_stored[ci.Arg<MediaKey>()] with { CachedAt = DateTimeOffset.UtcNow }));

        _parts = new SyncParts(_options, _cache, _network, _storage, _catalog, _mediaClient, new BodyAwareDownloads(_cache), _consent);
        _scheduler = _parts.Scheduler;
    }

    /// <summary>Gets or sets what a download of a key does; the default stores it at the catalogued size.</summary>
    private Func<MediaKey, MediaSource, IProgress<long>?, CancellationToken, Task<CachedMedia>> Download { get; set; }

    public void Dispose() => _parts.Dispose();

    [Fact]
    public async Task SyncWorkout_CatalogFails_IsAFailedReportWithTheCatalogsReasonAndTouchesNoMedia()
    {
        _catalog.GetWorkoutAsync("w-1", Arg.Any<CancellationToken>())
            .ThrowsAsync(new CatalogException(CatalogError.HttpStatus, "Getting workout 'w-1' failed: 502.") { StatusCode = HttpStatusCode.BadGateway });

        var report = await _scheduler.SyncWorkoutAsync("w-1");

        Assert.Equal(SyncOutcome.Failed, report.Outcome);
        Assert.Equal("Getting workout 'w-1' failed: 502.", report.Reason);
        Assert.Empty(report.Items);
        await _mediaClient.DidNotReceiveWithAnyArgs().GetMediaAsync(default!, default);
        Assert.Empty(_downloadCalls);
    }

    [Fact]
    public async Task SyncWorkout_SharedExercises_AskTheMediaApiOncePerExercise()
    {
        GivenUpcoming(Workout("w-1", s_soon, "squat", "lunge", "squat"), Workout("w-2", s_soon.AddDays(1), "lunge", "plank"));
        GivenMedia("squat", "lunge", "plank");

        var report = await _scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.Equal(9, report.Items.Count);
        await _mediaClient.Received(1).GetMediaAsync("squat", Arg.Any<CancellationToken>());
        await _mediaClient.Received(1).GetMediaAsync("lunge", Arg.Any<CancellationToken>());
        Assert.All(_downloadCalls.Values, calls => Assert.Equal(1, calls));
        Assert.Equal(["w-1", "w-2"], report.Items.First(i => i.Key.ExerciseId == "lunge").WorkoutIds);
    }

    [Fact]
    public async Task SyncUpcoming_MediaApiFailsForOneExercise_ItsSlotsFailWithTheReasonAndTheOthersDownload()
    {
        GivenUpcoming(Workout("w-1", s_soon, "squat", "lunge"));
        GivenMedia("squat");
        _mediaClient.GetMediaAsync("lunge", Arg.Any<CancellationToken>())
            .ThrowsAsync(new CatalogException(CatalogError.InvalidResponse, "The answer for the media of exercise 'lunge' was refused: bad."));

        var report = await _scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Partial, report.Outcome);
        var lunge = report.Items.Where(i => i.Key.ExerciseId == "lunge").ToList();
        Assert.Equal(
            [(MediaKind.Image, MediaVariantNames.Medium), (MediaKind.Image, MediaVariantNames.Poster), (MediaKind.Video, MediaVariantNames.Video720p)],
            lunge.Select(i => (i.Key.Kind, i.Key.Variant)).OrderBy(k => k.Kind).ThenBy(k => k.Variant, StringComparer.Ordinal));
        Assert.All(lunge, i =>
        {
            Assert.Equal(SyncItemOutcome.Failed, i.Outcome);
            Assert.Contains("exercise 'lunge' was refused", i.Reason, StringComparison.Ordinal);
        });
        Assert.Equal(3, report.Downloaded);
        Assert.Equal(WorkoutAvailability.Partial, Assert.Single(report.Workouts).Availability);
    }

    [Fact]
    public async Task SyncUpcoming_AReplacedMediaClientThrowsItsOwnException_OnlyThatExerciseFails()
    {
        GivenUpcoming(Workout("w-1", s_soon, "squat", "lunge"));
        GivenMedia("squat");
        _mediaClient.GetMediaAsync("lunge", Arg.Any<CancellationToken>()).ThrowsAsync(new InvalidOperationException("GraphQL: field 'media' is null"));

        var report = await _scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Partial, report.Outcome);
        Assert.All(report.Items.Where(i => i.Key.ExerciseId == "lunge"), i =>
        {
            Assert.Equal(SyncItemOutcome.Failed, i.Outcome);
            Assert.Contains("GraphQL: field 'media' is null", i.Reason, StringComparison.Ordinal);
        });
        Assert.Equal(3, report.Downloaded);
    }

    [Fact]
    public async Task SyncUpcoming_VariantNotOffered_IsNotPlannedAndTheWorkoutIsComplete()
    {
        GivenUpcoming(Workout("w-1", s_soon, "squat"));
        _mediaClient.GetMediaAsync("squat", Arg.Any<CancellationToken>())
            .Returns(new ExerciseMediaInfo([new MediaVariant("medium", "/m.jpg", 100)], [new MediaVariant("720p", "/v.mp4", 1_000)]));

        var report = await _scheduler.SyncUpcomingAsync();

        Assert.DoesNotContain(report.Items, i => i.Key.Variant == MediaVariantNames.Poster);
        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.Equal(2, report.Downloaded);
        Assert.Equal(2, _downloadCalls.Count);
        Assert.Equal(WorkoutAvailability.Full, Assert.Single(report.Workouts).Availability);
    }

    [Fact]
    public async Task SyncUpcoming_TransientFailures_AreRetriedUntilTheDownloadSucceeds()
    {
        GivenUpcoming(Workout("w-1", s_soon, "squat"));
        GivenMedia("squat");
        var video = new MediaKey("squat", MediaKind.Video, MediaVariantNames.Video720p);
        Download = (key, source, _, _) => key == video && _downloadCalls[key] < 3
            ? Task.FromException<CachedMedia>(new MediaCacheException(MediaCacheError.HttpStatus, "503") { StatusCode = HttpStatusCode.ServiceUnavailable })
            : Task.FromResult(Store(key, source.ExpectedBytes ?? 1));

        var report = await _scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.Equal(3, _downloadCalls[video]);
    }

    [Fact]
    public async Task SyncUpcoming_TransientFailureEveryTime_FailsAfterMaxDownloadAttempts()
    {
        _options.MaxDownloadAttempts = 3;
        GivenUpcoming(Workout("w-1", s_soon, "squat"));
        GivenMedia("squat");
        var video = new MediaKey("squat", MediaKind.Video, MediaVariantNames.Video720p);
        Download = (key, source, _, _) => key == video
            ? Task.FromException<CachedMedia>(new MediaCacheException(MediaCacheError.Network, "the connection dropped"))
            : Task.FromResult(Store(key, source.ExpectedBytes ?? 1));

        var report = await _scheduler.SyncUpcomingAsync();

        var item = report.Items.Single(i => i.Key == video);
        Assert.Equal(SyncItemOutcome.Failed, item.Outcome);
        Assert.Equal(MediaCacheError.Network, item.Error);
        Assert.Equal("the connection dropped", item.Reason);
        Assert.Equal(3, _downloadCalls[video]);
        Assert.Equal(SyncOutcome.Partial, report.Outcome);
    }

    [Fact]
    public async Task SyncUpcoming_EveryTryMovesAnEighthOfTheFile_TheAttemptCountStartsAgainAndTheFileCompletes()
    {
        _options.MaxDownloadAttempts = 2;
        GivenUpcoming(Workout("w-1", s_soon, "squat"));
        GivenMedia("squat");
        var video = new MediaKey("squat", MediaKind.Video, MediaVariantNames.Video720p);
        Download = (key, source, progress, _) =>
        {
            if (key == video && _downloadCalls[key] <= 4)
            {
                progress?.Report(_downloadCalls[key] * 2_000); // Each try moves a fifth of the 10,000 bytes.
                return Task.FromException<CachedMedia>(new MediaCacheException(MediaCacheError.Network, "dropped"));
            }

            return Task.FromResult(Store(key, source.ExpectedBytes ?? 1));
        };

        var report = await _scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncItemOutcome.Downloaded, report.Items.Single(i => i.Key == video).Outcome);
        Assert.Equal(5, _downloadCalls[video]);
    }

    [Fact]
    public async Task SyncUpcoming_EveryTryMovesAFewBytes_FailsAfterMaxDownloadAttempts()
    {
        _options.MaxDownloadAttempts = 3;
        GivenUpcoming(Workout("w-1", s_soon, "squat"));
        GivenMedia("squat");
        var video = new MediaKey("squat", MediaKind.Video, MediaVariantNames.Video720p);
        Download = (key, source, progress, _) =>
        {
            if (key == video && _downloadCalls[key] <= 100)
            {
                progress?.Report(_downloadCalls[key] * 10); // One more trickle of bytes per try: not a real part of the file.
                return Task.FromException<CachedMedia>(new MediaCacheException(MediaCacheError.Network, "dropped"));
            }

            return Task.FromResult(Store(key, source.ExpectedBytes ?? 1));
        };

        var report = await _scheduler.SyncUpcomingAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(SyncItemOutcome.Failed, report.Items.Single(i => i.Key == video).Outcome);
        Assert.Equal(3, _downloadCalls[video]);
    }

    [Fact]
    public async Task SyncUpcoming_ACancellationTheSyncDidNotAskFor_CountsATryInsteadOfRetryingAtOnceForever()
    {
        _options.MaxDownloadAttempts = 3;
        GivenUpcoming(Workout("w-1", s_soon, "squat"));
        GivenMedia("squat");
        var video = new MediaKey("squat", MediaKind.Video, MediaVariantNames.Video720p);
        Download = (key, source, _, _) => key == video
            ? Task.FromException<CachedMedia>(new TaskCanceledException("The media client's own timeout."))
            : Task.FromResult(Store(key, source.ExpectedBytes ?? 1));

        var report = await _scheduler.SyncUpcomingAsync().WaitAsync(TimeSpan.FromSeconds(10));

        var item = report.Items.Single(i => i.Key == video);
        Assert.Equal(SyncItemOutcome.Failed, item.Outcome);
        Assert.Equal(3, _downloadCalls[video]);
        Assert.Equal(SyncOutcome.Partial, report.Outcome);
    }

    [Theory]
    [InlineData(MediaCacheError.VerificationFailed)]
    [InlineData(MediaCacheError.InsufficientSpace)]
    [InlineData(MediaCacheError.UnsupportedUrl)]
    [InlineData(MediaCacheError.Storage)]
    public async Task SyncUpcoming_PermanentFailure_FailsAtOnceWithItsError(MediaCacheError error)
    {
        GivenUpcoming(Workout("w-1", s_soon, "squat"));
        GivenMedia("squat");
        var image = new MediaKey("squat", MediaKind.Image, MediaVariantNames.Medium);
        Download = (key, source, _, _) => key == image
            ? Task.FromException<CachedMedia>(new MediaCacheException(error, "no"))
            : Task.FromResult(Store(key, source.ExpectedBytes ?? 1));

        var report = await _scheduler.SyncUpcomingAsync();

        var item = report.Items.Single(i => i.Key == image);
        Assert.Equal(SyncItemOutcome.Failed, item.Outcome);
        Assert.Equal(error, item.Error);
        Assert.Equal(1, _downloadCalls[image]);
    }

    [Fact]
    public async Task SyncUpcoming_RetryAfterBeyondTwoMinutes_FailsWithoutWaiting()
    {
        GivenUpcoming(Workout("w-1", s_soon, "squat"));
        GivenMedia("squat");
        var image = new MediaKey("squat", MediaKind.Image, MediaVariantNames.Medium);
        Download = (key, source, _, _) => key == image
            ? Task.FromException<CachedMedia>(new MediaCacheException(MediaCacheError.HttpStatus, "429")
            {
                StatusCode = HttpStatusCode.TooManyRequests,
                RetryAfter = TimeSpan.FromMinutes(3),
            })
            : Task.FromResult(Store(key, source.ExpectedBytes ?? 1));

        var report = await _scheduler.SyncUpcomingAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SyncItemOutcome.Failed, report.Items.Single(i => i.Key == image).Outcome);
        Assert.Equal(1, _downloadCalls[image]);
    }

    [Fact]
    public async Task SyncUpcoming_CachedAndMatchingTheCatalog_IsCachedWithoutDownloading()
    {
        GivenUpcoming(Workout("w-1", s_soon, "squat"));
        GivenMedia("squat");
        var image = new MediaKey("squat", MediaKind.Image, MediaVariantNames.Medium);
        Store(image, 1_000, sha: Sha(image));

        var report = await _scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncItemOutcome.Cached, report.Items.Single(i => i.Key == image).Outcome);
        Assert.False(_downloadCalls.ContainsKey(image));
        Assert.Equal(2, report.Downloaded);
    }

    [Fact]
    public async Task SyncUpcoming_CachedButTheCatalogHasANewDigest_DownloadsItAgain()
    {
        GivenUpcoming(Workout("w-1", s_soon, "squat"));
        GivenMedia("squat");
        var image = new MediaKey("squat", MediaKind.Image, MediaVariantNames.Medium);
        Store(image, 1_000, sha: new string('0', 64));

        var report = await _scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncItemOutcome.Downloaded, report.Items.Single(i => i.Key == image).Outcome);
        Assert.Equal(1, _downloadCalls[image]);
    }

    [Fact]
    public async Task SyncUpcoming_CachedLongAgoWithoutADigest_IsRevalidatedNotDownloaded()
    {
        GivenUpcoming(Workout("w-1", s_soon, "squat"));
        GivenMedia("squat", withDigests: false);
        var image = new MediaKey("squat", MediaKind.Image, MediaVariantNames.Medium);
        Store(image, 100, cachedAt: DateTimeOffset.UtcNow.AddDays(-2));

        var report = await _scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncItemOutcome.Cached, report.Items.Single(i => i.Key == image).Outcome);
        await _cache.Received(1).RevalidateAsync(image, Arg.Any<MediaSource>(), Arg.Any<IProgress<long>?>(), Arg.Any<CancellationToken>());
        Assert.False(_downloadCalls.ContainsKey(image));
    }

    [Fact]
    public async Task SyncUpcoming_RevalidatedWithoutADigestAndTheServerSentANewVersion_IsDownloaded()
    {
        GivenUpcoming(Workout("w-1", s_soon, "squat"));
        GivenMedia("squat", withDigests: false);
        var image = new MediaKey("squat", MediaKind.Image, MediaVariantNames.Medium);
        Store(image, 100, cachedAt: DateTimeOffset.UtcNow.AddDays(-2));
        _cache.RevalidateAsync(image, Arg.Any<MediaSource>(), Arg.Any<IProgress<long>?>(), Arg.Any<CancellationToken>())
            .Returns(_ => Task.FromResult(_stored[image] with { ETag = "\"v2\"", Sha256 = null, CachedAt = DateTimeOffset.UtcNow }));

        var report = await _scheduler.SyncUpcomingAsync();

        var item = report.Items.Single(i => i.Key == image);
        Assert.Equal(SyncItemOutcome.Downloaded, item.Outcome);
        Assert.Null(item.Sha256);
    }

    [Fact]
    public async Task SyncUpcoming_MeteredAndLarge_AsksForConsentWithTheFilesAndBytesAndHonoursANo()
    {
        _options.Strategy = SyncStrategy.WiFiAndCellular;
        _options.CellularWarningThresholdBytes = 100;
        _network.Set(FakeConnectivityProbe.Cellular);
        GivenUpcoming(Workout("w-1", s_soon, "squat"));
        GivenMedia("squat");
#pragma warning disable CA2012 // Configuring a substitute's ValueTask member: the call is recorded, never awaited.
        _consent.ConfirmAsync(Arg.Any<DataUsageRequest>(), Arg.Any<CancellationToken>()).Returns(ValueTask.FromResult(false));
#pragma warning restore CA2012

        var report = await _scheduler.SyncUpcomingAsync();

        await _consent.Received(1).ConfirmAsync(new DataUsageRequest(3, 1_000 + 10_000 + 200), Arg.Any<CancellationToken>());
        Assert.Equal(SyncOutcome.Skipped, report.Outcome);
        Assert.Empty(_downloadCalls);
    }

    [Fact]
    public async Task SyncUpcoming_NetworkLostMidDownloadAndBack_PausesThenRetriesWithoutSpendingATry()
    {
        _options.MaxDownloadAttempts = 1;
        GivenUpcoming(Workout("w-1", s_soon, "squat"));
        GivenMedia("squat");
        var video = new MediaKey("squat", MediaKind.Video, MediaVariantNames.Video720p);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Download = async (key, source, _, token) =>
        {
            if (key == video && _downloadCalls[key] == 1)
            {
                started.SetResult();
                await Task.Delay(Timeout.Infinite, token);
            }

            return Store(key, source.ExpectedBytes ?? 1);
        };
        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var progress = new SyncProgressSink(p =>
        {
            if (p.IsPaused)
            {
                paused.TrySetResult();
            }
        });

        var sync = _scheduler.SyncUpcomingAsync(progress);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _network.Set(FakeConnectivityProbe.Cellular);
        await paused.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(sync.IsCompleted);
        _network.Set(FakeConnectivityProbe.WiFi);
        var report = await sync.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.Equal(2, _downloadCalls[video]);
    }

    [Fact]
    public async Task SyncUpcoming_ABodyIsIn_TheNextTransferStartsWhileItIsStoredButNeverMoreThanMaxParallelDownloadsAtOnce()
    {
        _options.MaxParallelDownloads = 2;
        GivenUpcoming(Workout("w-1", s_soon, "squat", "lunge", "plank"));
        GivenMedia("squat", "lunge", "plank");
        int transferring = 0, maxTransferring = 0, underway = 0, maxUnderway = 0;
        static void Raise(ref int max, int value)
        {
            int seen;
            while (value > (seen = Volatile.Read(ref max)) && Interlocked.CompareExchange(ref max, value, seen) != seen)
            {
            }
        }

        Download = async (key, source, progress, token) =>
        {
            Raise(ref maxUnderway, Interlocked.Increment(ref underway));
            Raise(ref maxTransferring, Interlocked.Increment(ref transferring));
            await Task.Delay(40, token);
            Interlocked.Decrement(ref transferring);
            Assert.IsType<BodyAwareProgress>(progress).BodyReceived();
            await Task.Delay(40, token); // Committed and indexed: the slot is already someone else's.
            Interlocked.Decrement(ref underway);
            return Store(key, source.ExpectedBytes ?? 1_000);
        };

        var report = await _scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.Equal(9, report.Downloaded);
        Assert.Equal(2, maxTransferring);
        Assert.InRange(maxUnderway, 3, 4);
    }

    [Fact]
    public async Task RetryFailed_NothingFailed_IsAnEmptyCompleteReportWithoutAskingTheServer()
    {
        var report = await _scheduler.RetryFailedAsync();

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.Empty(report.Items);
        await _catalog.DidNotReceiveWithAnyArgs().GetWorkoutAsync(default!, default);
    }

    [Fact]
    public async Task RetryFailed_AWorkoutOfTheFailedFilesIsGone_RetriesTheOthers()
    {
        GivenUpcoming(Workout("w-1", s_soon, "squat"), Workout("w-2", s_soon.AddDays(1), "lunge"));
        GivenMedia("squat", "lunge");
        var fail = true;
        Download = (key, source, _, _) => fail && key.Variant == MediaVariantNames.Video720p
            ? Task.FromException<CachedMedia>(new MediaCacheException(MediaCacheError.HttpStatus, "404") { StatusCode = HttpStatusCode.NotFound })
            : Task.FromResult(Store(key, source.ExpectedBytes ?? 1));
        await _scheduler.SyncUpcomingAsync();
        fail = false;
        _catalog.GetWorkoutAsync("w-1", Arg.Any<CancellationToken>()).ThrowsAsync(new CatalogException(CatalogError.NotFound, "gone"));

        var report = await _scheduler.RetryFailedAsync();

        var item = Assert.Single(report.Items);
        Assert.Equal(new MediaKey("lunge", MediaKind.Video, MediaVariantNames.Video720p), item.Key);
        Assert.Equal(SyncItemOutcome.Downloaded, item.Outcome);
    }

    [Fact]
    public async Task RunScheduled_Manual_IsNullWithoutAskingTheServer()
    {
        _options.Strategy = SyncStrategy.Manual;

        var report = await _scheduler.RunScheduledAsync();

        Assert.Null(report);
        await _catalog.DidNotReceiveWithAnyArgs().GetUpcomingAsync(default, default);
    }

    [Fact]
    public async Task RunScheduled_CatalogFails_IsAFailedReportNotNull()
    {
        _catalog.GetUpcomingAsync(Arg.Any<TimeSpan>(), Arg.Any<CancellationToken>()).ThrowsAsync(new CatalogException(CatalogError.Network, "offline"));

        var report = await _scheduler.RunScheduledAsync();

        Assert.NotNull(report);
        Assert.Equal(SyncOutcome.Failed, report.Outcome);
        Assert.Equal("offline", report.Reason);
    }

    [Fact]
    public async Task RunScheduled_AfterACompleteSync_IsNullUntilAFileGoesMissing()
    {
        GivenUpcoming(Workout("w-1", s_soon, "squat"));
        GivenMedia("squat");
        await _scheduler.SyncUpcomingAsync();

        var notDue = await _scheduler.RunScheduledAsync();
        _stored.TryRemove(new MediaKey("squat", MediaKind.Image, MediaVariantNames.Medium), out _);
        var due = await _scheduler.RunScheduledAsync();

        Assert.Null(notDue);
        Assert.NotNull(due);
        Assert.Equal(1, due.Downloaded);
    }

    [Fact]
    public async Task GetWorkoutState_NeverPlanned_IsNull()
    {
        Assert.Null(await _scheduler.GetWorkoutStateAsync("w-1"));
    }

    private static Workout Workout(string id, DateTimeOffset at, params string[] exercises) =>
        new(id, id, at, [.. exercises.Select(e => new WorkoutExercise(e, e))]);

    private static string Sha(MediaKey key) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key.ToString())));

    private void GivenUpcoming(params Workout[] workouts)
    {
        _catalog.GetUpcomingAsync(Arg.Any<TimeSpan>(), Arg.Any<CancellationToken>()).Returns(workouts);
        foreach (var workout in workouts)
        {
            _catalog.GetWorkoutAsync(workout.Id, Arg.Any<CancellationToken>()).Returns(workout);
        }
    }

    /// <summary>Each exercise offers medium (1 000 B), 720p (10 000 B) and a poster (200 B), with digests unless told otherwise.</summary>
    private void GivenMedia(string exerciseId, bool withDigests = true) => GivenMedia([exerciseId], withDigests);

    private void GivenMedia(string a, string b, string? c = null) => GivenMedia(new[] { a, b, c }.OfType<string>().ToArray(), withDigests: true);

    private void GivenMedia(string[] exerciseIds, bool withDigests)
    {
        foreach (var id in exerciseIds)
        {
            string? Digest(MediaKind kind, string variant) => withDigests ? Sha(new MediaKey(id, kind, variant)) : null;
            _mediaClient.GetMediaAsync(id, Arg.Any<CancellationToken>()).Returns(new ExerciseMediaInfo(
                [new MediaVariant("medium", $"/{id}/m.jpg", withDigests ? 1_000 : null, Digest(MediaKind.Image, "medium"))],
                [
                    new MediaVariant("720p", $"/{id}/v.mp4", withDigests ? 10_000 : null, Digest(MediaKind.Video, "720p")),
                    new MediaVariant("poster", $"/{id}/p.jpg", withDigests ? 200 : null, Digest(MediaKind.Image, "poster")),
                ]));
        }
    }

    private CachedMedia Store(MediaKey key, long bytes, string? sha = null, DateTimeOffset? cachedAt = null)
    {
        var media = new CachedMedia
        {
            Key = key,
            LocalPath = Path.Combine(_directory, key.ExerciseId, key.Variant),
            SourceUrl = "/x",
            Bytes = bytes,
            Sha256 = sha ?? Sha(key),
            CachedAt = cachedAt ?? DateTimeOffset.UtcNow,
            LastAccessedAt = DateTimeOffset.UtcNow,
        };
        _stored[key] = media;
        return media;
    }

    private sealed class SyncProgressSink(Action<SyncProgress> report) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => report(value);
    }

    /// <summary>
    /// Downloads through the cache substitute: takes the transfer slot first, as the cache does before its request, and
    /// hands a test's script the slot's release (the body is in) on its progress.
    /// </summary>
    private sealed class BodyAwareDownloads(IMediaCache cache) : OfflineMedia.Cache.Internal.IMediaDownloads
    {
        public async Task<CachedMedia> GetOrDownloadAsync(
            MediaKey key, MediaSource source, IProgress<long>? progress, OfflineMedia.Cache.Internal.ITransferSlot? slot, CancellationToken cancellationToken)
        {
            await (slot?.TakeAsync(cancellationToken) ?? ValueTask.CompletedTask);
            return await cache.GetOrDownloadAsync(key, source, new BodyAwareProgress(progress, slot), cancellationToken);
        }

        public async Task<CachedMedia> RevalidateAsync(
            MediaKey key, MediaSource source, IProgress<long>? progress, OfflineMedia.Cache.Internal.ITransferSlot? slot, CancellationToken cancellationToken)
        {
            await (slot?.TakeAsync(cancellationToken) ?? ValueTask.CompletedTask);
            return await cache.RevalidateAsync(key, source, new BodyAwareProgress(progress, slot), cancellationToken);
        }
    }

    private sealed class BodyAwareProgress(IProgress<long>? progress, OfflineMedia.Cache.Internal.ITransferSlot? slot) : IProgress<long>
    {
        public void Report(long value) => progress?.Report(value);

        public void BodyReceived() => slot?.Release();
    }
}
