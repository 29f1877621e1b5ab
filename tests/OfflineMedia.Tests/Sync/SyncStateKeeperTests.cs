using NSubstitute;
using OfflineMedia.Cache;
using OfflineMedia.Sync;
using OfflineMedia.Sync.Internal;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.Tests.Sync;

public sealed class SyncStateKeeperTests : IDisposable
{
    private readonly string _directory = SyncParts.NewFolder();
    private readonly SyncParts _parts;

    public SyncStateKeeperTests() =>
        _parts = new SyncParts(new OfflineMediaOptions { CacheDirectory = _directory }, Substitute.For<IMediaCache>(), new FakeConnectivityProbe(), FakeStorageProbe.WithGigabytes(1));

    public void Dispose() => _parts.Dispose();

    [Fact]
    public void RecordFailures_AFullSync_ReplacesWhatFailedBefore()
    {
        _parts.State.RecordFailures([Result("squat", MediaKind.Video, SyncItemOutcome.Failed)], retry: false);

        _parts.State.RecordFailures([Result("lunge", MediaKind.Image, SyncItemOutcome.Failed), Result("squat", MediaKind.Video, SyncItemOutcome.Downloaded)], retry: false);

        Assert.Equal("lunge", Assert.Single(_parts.State.FailedItems).Key.ExerciseId);
    }

    [Fact]
    public void RecordFailures_ARetry_KeepsWhatItDidNotCoverAndDropsTheSlotsItSettled()
    {
        _parts.State.RecordFailures(
            [Result("squat", MediaKind.Video, SyncItemOutcome.Failed), Result("lunge", MediaKind.Video, SyncItemOutcome.Failed)], retry: false);

        // The retry planned squat's video slot again (another variant now) and got it in; lunge was not covered.
        _parts.State.RecordFailures([Result("squat", MediaKind.Video, SyncItemOutcome.Downloaded, MediaVariantNames.Video1080p)], retry: true);

        Assert.Equal("lunge", Assert.Single(_parts.State.FailedItems).Key.ExerciseId);
    }

    [Fact]
    public void PinnedUntil_AWorkoutOnTheLastDay_NeverPassesMaxValue()
    {
        var now = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

        Assert.Equal(DateTimeOffset.MaxValue, SyncStateKeeper.PinnedUntil(DateTimeOffset.MaxValue.AddHours(-1), now));
        Assert.Equal(now.AddDays(1), SyncStateKeeper.PinnedUntil(now.AddDays(-3), now));
        Assert.Equal(now.AddDays(3), SyncStateKeeper.PinnedUntil(now.AddDays(2), now));
    }

    [Fact]
    public void StateOf_CountsCachedFilesAndTheEstimatesOfTheMissingOnes()
    {
        var image = new MediaKey("squat", MediaKind.Image, MediaVariantNames.Medium);
        var video = new MediaKey("squat", MediaKind.Video, MediaVariantNames.Video720p);

        var partial = SyncStateKeeper.StateOf("w-1", "Legs", DateTimeOffset.UnixEpoch, null, [(image, 1_000), (video, 10_000)], new() { [image] = 900 });
        var empty = SyncStateKeeper.StateOf("w-2", "Rest", DateTimeOffset.UnixEpoch, null, [], []);

        Assert.Equal((WorkoutAvailability.Partial, 1, 900L, 10_000L), (partial.Availability, partial.FilesCached, partial.BytesCached, partial.BytesMissing));
        Assert.Equal(WorkoutAvailability.Full, empty.Availability);
    }

    private static SyncItemResult Result(string exerciseId, MediaKind kind, SyncItemOutcome outcome, string? variant = null) => new()
    {
        Key = new MediaKey(exerciseId, kind, variant ?? (kind == MediaKind.Image ? MediaVariantNames.Medium : MediaVariantNames.Video720p)),
        Outcome = outcome,
    };
}
