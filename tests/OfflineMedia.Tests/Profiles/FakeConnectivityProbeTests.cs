using OfflineMedia.Profiles;
using OfflineMedia.Testing;

namespace OfflineMedia.Tests.Profiles;

public sealed class FakeConnectivityProbeTests
{
    [Fact]
    public void Current_NoInitialState_IsWiFi()
    {
        Assert.Same(FakeConnectivityProbe.WiFi, new FakeConnectivityProbe().Current);
    }

    [Fact]
    public void Set_DifferentState_RaisesChangedOnceWithTheNewState()
    {
        var probe = new FakeConnectivityProbe(FakeConnectivityProbe.WiFi);
        var raised = new List<(object? Sender, ConnectivityState State)>();
        probe.Changed += (sender, state) => raised.Add((sender, state));

        probe.Set(FakeConnectivityProbe.Cellular);

        var single = Assert.Single(raised);
        Assert.Same(probe, single.Sender);
        Assert.Same(FakeConnectivityProbe.Cellular, single.State);
        Assert.Same(FakeConnectivityProbe.Cellular, probe.Current);
    }

    [Fact]
    public void Set_SameState_DoesNotRaiseChanged()
    {
        var probe = new FakeConnectivityProbe(FakeConnectivityProbe.CaptivePortal);
        var raised = 0;
        probe.Changed += (_, _) => raised++;

        probe.Set(FakeConnectivityProbe.CaptivePortal);
        probe.Set(new ConnectivityState(NetworkAccess.ConstrainedInternet, ConnectionKinds.WiFi, IsMetered: false));

        Assert.Equal(0, raised);
    }

    [Fact]
    public void Set_SeveralChanges_RaisesOnlyForEachChange()
    {
        var probe = new FakeConnectivityProbe(FakeConnectivityProbe.Offline);
        var states = new List<ConnectivityState>();
        probe.Changed += (_, state) => states.Add(state);

        probe.Set(FakeConnectivityProbe.WiFi);
        probe.Set(FakeConnectivityProbe.WiFi);
        probe.Set(FakeConnectivityProbe.Offline);
        probe.Set(FakeConnectivityProbe.Offline);

        Assert.Equal([FakeConnectivityProbe.WiFi, FakeConnectivityProbe.Offline], states);
    }

    [Fact]
    public void Set_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>("state", () => new FakeConnectivityProbe().Set(null!));
    }
}
