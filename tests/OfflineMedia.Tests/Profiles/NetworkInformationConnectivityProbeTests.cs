using OfflineMedia.Profiles;
using OfflineMedia.Profiles.Internal;

namespace OfflineMedia.Tests.Profiles;

public sealed class NetworkInformationConnectivityProbeTests
{
    [Fact]
    public void Read_OnThisMachine_DoesNotThrowAndIsConsistent()
    {
        var state = NetworkInformationConnectivityProbe.Read();

        AssertConsistent(state);
    }

    [Fact]
    public void Current_OnThisMachine_IsConsistent()
    {
        using var probe = new NetworkInformationConnectivityProbe();

        AssertConsistent(probe.Current);
        AssertConsistent(probe.Current);
    }

    [Fact]
    public void Changed_SubscribeUnsubscribeAndDisposeTwice_DoNotThrow()
    {
        var probe = new NetworkInformationConnectivityProbe();
        EventHandler<ConnectivityState> handler = (_, state) => AssertConsistent(state);

        probe.Changed += handler;
        probe.Changed += handler;
        probe.Changed -= handler;
        probe.Dispose();
        probe.Dispose();
        probe.Changed -= handler;

        AssertConsistent(probe.Current);
    }

    private static void AssertConsistent(ConnectivityState state)
    {
        Assert.NotNull(state);
        if (state.Access == NetworkAccess.Unknown)
        {
            // Only when the platform refuses to list interfaces.
            Assert.Equal(ConnectionKinds.Unknown, state.Connections);
            Assert.Null(state.IsMetered);
            return;
        }

        Assert.Contains(state.Access, new[] { NetworkAccess.None, NetworkAccess.Local, NetworkAccess.Internet });
        Assert.Equal(state.Access == NetworkAccess.None, state.Connections == ConnectionKinds.None);
        Assert.Equal(state.Connections == ConnectionKinds.Cellular ? true : null, state.IsMetered);
        Assert.True(!state.HasUnmeteredInternet || state.HasInternet);
    }
}
