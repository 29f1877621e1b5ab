using System.Threading.Channels;
using NSubstitute;
using OfflineMedia.Cache;
using OfflineMedia.Storage;
using OfflineMedia.Sync;
using OfflineMedia.Sync.Internal;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.Tests.Sync;

/// <summary>The fitter over a substituted cache, a fake storage probe and a fake network.</summary>
public sealed class PlanFitterTests : IDisposable
{
    private static readonly DateTimeOffset s_monday = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly IMediaCache _cache = Substitute.For<IMediaCache>();
    private readonly IDataUsageConsent _consent = Substitute.For<IDataUsageConsent>();
    private readonly FakeConnectivityProbe _network = new(FakeConnectivityProbe.WiFi);
    private readonly FakeStorageProbe _storage = FakeStorageProbe.WithGigabytes(100);
    private readonly Dictionary<MediaKey, CachedMedia> _stored = [];
    private readonly OfflineMediaOptions _options = new() { CacheDirectory = SyncParts.NewFolder(), StorageReserveBytes = 0 };
    private readonly SyncParts _parts;

    public PlanFitterTests()
    {
#pragma warning disable CA2012 // Configuring a substitute's ValueTask member: the call is recorded, never awaited.
        _cache.TryGetAsync(Arg.Any<MediaKey>(), Arg.Any<CancellationToken>()).Returns(ci => ValueTask.FromResult(_stored.GetValueOrDefault(ci.Arg<MediaKey>())));
#pragma warning restore CA2012
        _cache.GetUsageAsync(Arg.Any<CancellationToken>()).Returns(_ => Task.FromResult(new CacheUsage(0, 0, 0, 0, 0, 0, 0, _options.CacheSizeLimitBytes)));
        _cache.TrimAsync(Arg.Any<long>(), Arg.Any<CancellationToken>()).Returns(ci => Task.FromResult(new TrimResult(0, 0, 0, ci.Arg<long>(), [])));
        _parts = new SyncParts(_options, _cache, _network, _storage, consent: _consent);
    }

    public void Dispose() => _parts.Dispose();

    [Fact]
    public async Task FitAsync_CachedAndCurrent_IsSettledAsCachedAndCachedLongAgoWithoutADigest_IsRevalidated()
    {
        var current = Item("squat", MediaKind.Image, 1_000, s_monday, sha: new string('a', 64));
        var old = Item("lunge", MediaKind.Image, 1_000, s_monday);
        var missing = Item("plank", MediaKind.Image, 1_000, s_monday);
        Store(current, DateTimeOffset.UtcNow, new string('a', 64));
        Store(old, DateTimeOffset.UtcNow.AddDays(-2), sha: null);

        var fitted = await _parts.Fitter.FitAsync([current, old, missing], _options, headStart: null, CancellationToken.None);

        Assert.Equal(SyncItemOutcome.Cached, fitted.Settled[current.Key].Outcome);
        Assert.Equal([old], fitted.Revalidations);
        Assert.Equal([missing], fitted.Downloads);
        Assert.Null(fitted.Reason);
    }

    [Fact]
    public async Task FitAsync_NotEnoughRoom_LeavesOutTheLatestWorkoutsAndVideosFirstSaysWhyAndRaisesLowStorage()
    {
        _storage.AvailableBytes = 12_000;
        var soonImage = Item("squat", MediaKind.Image, 1_000, s_monday);
        var soonVideo = Item("squat", MediaKind.Video, 10_000, s_monday);
        var laterImage = Item("lunge", MediaKind.Image, 1_000, s_monday.AddDays(1));
        var laterVideo = Item("lunge", MediaKind.Video, 10_000, s_monday.AddDays(1));
        var raised = new List<StorageStatus>();
        _parts.Events.LowStorage += (_, s) => raised.Add(s);

        var fitted = await _parts.Fitter.FitAsync([laterVideo, laterImage, soonVideo, soonImage], _options, headStart: null, CancellationToken.None);

        Assert.Equal([laterImage, soonVideo, soonImage], fitted.Downloads);
        Assert.Equal(SyncItemOutcome.Skipped, fitted.Settled[laterVideo.Key].Outcome);
        Assert.Equal(MediaCacheError.InsufficientSpace, fitted.Settled[laterVideo.Key].Error);
        Assert.StartsWith("not enough storage: the sync needs 0.0 MB but 0.0 MB is available", fitted.Reason, StringComparison.Ordinal);
        Assert.EndsWith("1 files were left out", fitted.Reason, StringComparison.Ordinal);
        Assert.Equal(12_000, Assert.Single(raised).DeviceFreeBytes);
    }

    [Fact]
    public async Task FitAsync_MeteredAboveTheThresholdAndDeclined_LeavesEverythingOut()
    {
        _options.Strategy = SyncStrategy.WiFiAndCellular;
        _options.CellularWarningThresholdBytes = 100;
        _network.Set(FakeConnectivityProbe.Cellular);
#pragma warning disable CA2012 // Configuring a substitute's ValueTask member: the call is recorded, never awaited.
        _consent.ConfirmAsync(Arg.Any<DataUsageRequest>(), Arg.Any<CancellationToken>()).Returns(ValueTask.FromResult(false));
#pragma warning restore CA2012
        var item = Item("squat", MediaKind.Video, 10_000, s_monday);

        var fitted = await _parts.Fitter.FitAsync([item], _options, headStart: null, CancellationToken.None);

        await _consent.Received(1).ConfirmAsync(new DataUsageRequest(1, 10_000), Arg.Any<CancellationToken>());
        Assert.Empty(fitted.Downloads);
        Assert.Equal(SyncItemOutcome.Skipped, fitted.Settled[item.Key].Outcome);
        Assert.Equal("downloading 0.0 MB over cellular was not confirmed", fitted.Reason);
    }

    [Fact]
    public async Task OpenHeadStart_RoomToSpare_StartsFilesNotCachedAsOfferedUntilOneDoesNotFit()
    {
        _storage.AvailableBytes = 12_000;
        var image = Item("squat", MediaKind.Image, 1_000, s_monday);
        var cached = Item("lunge", MediaKind.Image, 1_000, s_monday);
        var video = Item("squat", MediaKind.Video, 10_000, s_monday);
        var tooBig = Item("lunge", MediaKind.Video, 10_000, s_monday);
        var afterIt = Item("plank", MediaKind.Image, 500, s_monday);
        Store(cached, DateTimeOffset.UtcNow, sha: null);
        var transfers = Channel.CreateUnbounded<(PlannedItem Item, bool Revalidate)>();

        var headStart = await _parts.Fitter.OpenHeadStartAsync(_options, typicalBytes: 0, transfers.Writer, Tracker(), CancellationToken.None);
        await headStart.OfferAsync([image, cached], CancellationToken.None);
        await headStart.OfferAsync([video, tooBig, afterIt], CancellationToken.None);

        Assert.Equal([image, video], Drain(transfers).Select(t => t.Item));
        Assert.True(headStart.HasStarted(video.Key));
        Assert.False(headStart.HasStarted(cached.Key)); // The fit sorts out what is cached.
        Assert.False(headStart.HasStarted(afterIt.Key)); // It would fit, but the head start ended at the file before it.
        Assert.Equal(1_000, headStart.Room);
    }

    [Fact]
    public async Task OpenHeadStart_MeteredWithWarningsOn_StartsNothing()
    {
        _options.Strategy = SyncStrategy.WiFiAndCellular;
        _network.Set(FakeConnectivityProbe.Cellular);
        var transfers = Channel.CreateUnbounded<(PlannedItem Item, bool Revalidate)>();

        var headStart = await _parts.Fitter.OpenHeadStartAsync(_options, typicalBytes: 0, transfers.Writer, Tracker(), CancellationToken.None);
        await headStart.OfferAsync([Item("squat", MediaKind.Image, 1_000, s_monday)], CancellationToken.None);

        Assert.Empty(Drain(transfers));
        Assert.False(headStart.Any);
    }

    [Fact]
    public async Task OpenHeadStart_PlanAtTypicalSizesBeyondTheRoom_StartsNothing()
    {
        _storage.AvailableBytes = 12_000;
        var transfers = Channel.CreateUnbounded<(PlannedItem Item, bool Revalidate)>();

        var headStart = await _parts.Fitter.OpenHeadStartAsync(_options, typicalBytes: 12_001, transfers.Writer, Tracker(), CancellationToken.None);
        await headStart.OfferAsync([Item("squat", MediaKind.Image, 1_000, s_monday)], CancellationToken.None);

        Assert.Empty(Drain(transfers));
        Assert.Equal(0, headStart.Room);
    }

    [Fact]
    public async Task FitAsync_RestWithinTheHeadStartsRoom_NeitherLeavesOutNorTrims()
    {
        _storage.AvailableBytes = 12_000;
        var started = Item("squat", MediaKind.Video, 10_000, s_monday);
        var rest = Item("lunge", MediaKind.Image, 2_000, s_monday);
        var headStart = await _parts.Fitter.OpenHeadStartAsync(_options, typicalBytes: 0, Channel.CreateUnbounded<(PlannedItem, bool)>().Writer, Tracker(), CancellationToken.None);
        await headStart.OfferAsync([started], CancellationToken.None);
        headStart.Close();

        // The started file is still downloading: the fit need not wait for it.
        var fitted = await _parts.Fitter.FitAsync([rest], _options, headStart, CancellationToken.None);

        Assert.Equal([rest], fitted.Downloads);
        Assert.Null(fitted.Reason);
        await _cache.DidNotReceiveWithAnyArgs().TrimAsync(default, default);
    }

    [Fact]
    public async Task FitAsync_AFileTheHeadStartFoundCached_IsSettledWithoutReadingTheCacheAgain()
    {
        var cached = Item("squat", MediaKind.Image, 1_000, s_monday, sha: new string('a', 64));
        Store(cached, DateTimeOffset.UtcNow, new string('a', 64));
        var headStart = await _parts.Fitter.OpenHeadStartAsync(_options, typicalBytes: 0, Channel.CreateUnbounded<(PlannedItem, bool)>().Writer, Tracker(), CancellationToken.None);
        await headStart.OfferAsync([cached], CancellationToken.None);
        headStart.Close();

        var fitted = await _parts.Fitter.FitAsync([cached], _options, headStart, CancellationToken.None);

        Assert.Equal(SyncItemOutcome.Cached, fitted.Settled[cached.Key].Outcome);
        await _cache.Received(1).TryGetAsync(cached.Key, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task FitAsync_RestBeyondTheHeadStartsRoom_WaitsForTheStartedFilesThenFitsTheRestToTheRoomThen()
    {
        _storage.AvailableBytes = 12_000;
        var started = Item("squat", MediaKind.Video, 10_000, s_monday);
        var soonImage = Item("squat", MediaKind.Image, 1_000, s_monday);
        var laterVideo = Item("lunge", MediaKind.Video, 10_000, s_monday.AddDays(1));
        var headStart = await _parts.Fitter.OpenHeadStartAsync(_options, typicalBytes: 0, Channel.CreateUnbounded<(PlannedItem, bool)>().Writer, Tracker(), CancellationToken.None);
        await headStart.OfferAsync([started, laterVideo], CancellationToken.None);
        headStart.Close();

        var fitting = _parts.Fitter.FitAsync([soonImage, laterVideo], _options, headStart, CancellationToken.None);
        await Task.Delay(50);
        Assert.False(fitting.IsCompleted, "the fit measured the room before the started file was in");

        _storage.AvailableBytes = 2_000; // The started file is in: the device has that much less.
        headStart.Finished(started);
        var fitted = await fitting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([soonImage], fitted.Downloads);
        Assert.Equal(MediaCacheError.InsufficientSpace, fitted.Settled[laterVideo.Key].Error);
    }

    private static PlannedItem Item(string exerciseId, MediaKind kind, long bytes, DateTimeOffset neededAt, string? sha = null) =>
        new(new MediaKey(exerciseId, kind, kind == MediaKind.Image ? MediaVariantNames.Medium : MediaVariantNames.Video720p), new MediaSource("/x", bytes, sha), bytes)
        {
            NeededAt = neededAt,
        };

    private void Store(PlannedItem item, DateTimeOffset cachedAt, string? sha) => _stored[item.Key] = new CachedMedia
    {
        Key = item.Key,
        LocalPath = "/cache/x",
        SourceUrl = "/x",
        Bytes = item.EstimatedBytes,
        Sha256 = sha,
        CachedAt = cachedAt,
        LastAccessedAt = cachedAt,
    };

    private static List<(PlannedItem Item, bool Revalidate)> Drain(Channel<(PlannedItem Item, bool Revalidate)> transfers)
    {
        var items = new List<(PlannedItem Item, bool Revalidate)>();
        while (transfers.Reader.TryRead(out var transfer))
        {
            items.Add(transfer);
        }

        return items;
    }

    private static ProgressTracker Tracker() => new(null, TimeProvider.System, []);
}
