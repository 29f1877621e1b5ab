using OfflineMedia.Storage;
using OfflineMedia.Storage.Internal;
using OfflineMedia.Sync;

namespace OfflineMedia.Tests.Storage;

public sealed class OfflineMediaEventsTests
{
    [Fact]
    public void SetState_SameStateAgain_RaisesOnlyOnChange()
    {
        var events = new OfflineMediaEvents();
        var raised = new List<SyncState>();
        events.StateChanged += (_, s) => raised.Add(s);

        events.SetState(SyncState.Idle);
        events.SetState(SyncState.Running);
        events.SetState(SyncState.Running);
        events.SetState(SyncState.Paused);
        events.SetState(SyncState.Paused);
        events.SetState(SyncState.Idle);

        Assert.Equal([SyncState.Running, SyncState.Paused, SyncState.Idle], raised);
        Assert.Equal(SyncState.Idle, events.State);
    }

    [Fact]
    public void WantsAvailability_IsTrueOnlyWhileSomeoneListens()
    {
        var events = new OfflineMediaEvents();
        EventHandler<WorkoutAvailabilityChangedEventArgs> handler = (_, _) => { };

        var before = events.WantsAvailability;
        events.AvailabilityChanged += handler;
        var during = events.WantsAvailability;
        events.AvailabilityChanged -= handler;

        Assert.False(before);
        Assert.True(during);
        Assert.False(events.WantsAvailability);
    }

    [Fact]
    public void Availability_RaisesTheStateItWasGiven()
    {
        var events = new OfflineMediaEvents();
        WorkoutSyncState? seen = null;
        events.AvailabilityChanged += (_, e) => seen = e.State;
        var state = new WorkoutSyncState
        {
            WorkoutId = "w-1",
            Name = "Legs",
            ScheduledAt = DateTimeOffset.UnixEpoch,
            Availability = WorkoutAvailability.Partial,
            FilesPlanned = 3,
            FilesCached = 1,
            BytesCached = 10,
            BytesMissing = 20,
        };

        events.Availability(state);

        Assert.Same(state, seen);
    }
}
