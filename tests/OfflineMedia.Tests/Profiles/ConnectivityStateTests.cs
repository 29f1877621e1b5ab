using OfflineMedia.Profiles;
using OfflineMedia.Testing;

namespace OfflineMedia.Tests.Profiles;

public sealed class ConnectivityStateTests
{
    [Theory]
    [InlineData(NetworkAccess.Unknown, false)]
    [InlineData(NetworkAccess.None, false)]
    [InlineData(NetworkAccess.Local, false)]
    [InlineData(NetworkAccess.ConstrainedInternet, false)]
    [InlineData(NetworkAccess.Internet, true)]
    public void HasInternet_OnlyFullInternetCounts(NetworkAccess access, bool expected)
    {
        Assert.Equal(expected, new ConnectivityState(access, ConnectionKinds.WiFi).HasInternet);
    }

    [Fact]
    public void HasInternet_CaptivePortal_IsNotInternet()
    {
        var portal = FakeConnectivityProbe.CaptivePortal;

        Assert.False(portal.HasInternet);
        Assert.False(portal.HasUnmeteredInternet);
    }

    [Theory]
    [InlineData(NetworkAccess.Internet, ConnectionKinds.WiFi, null, true)]
    [InlineData(NetworkAccess.Internet, ConnectionKinds.WiFi, false, true)]
    [InlineData(NetworkAccess.Internet, ConnectionKinds.Ethernet, null, true)]
    [InlineData(NetworkAccess.Internet, ConnectionKinds.WiFi | ConnectionKinds.Cellular, null, true)]
    [InlineData(NetworkAccess.Internet, ConnectionKinds.WiFi, true, false)] // A metered hotspot.
    [InlineData(NetworkAccess.Internet, ConnectionKinds.Cellular, null, false)]
    [InlineData(NetworkAccess.Internet, ConnectionKinds.Cellular, false, false)]
    [InlineData(NetworkAccess.Internet, ConnectionKinds.Cellular, true, false)]
    [InlineData(NetworkAccess.Internet, ConnectionKinds.Bluetooth, null, false)]
    [InlineData(NetworkAccess.Internet, ConnectionKinds.Unknown, null, false)]
    [InlineData(NetworkAccess.Internet, ConnectionKinds.None, null, false)]
    [InlineData(NetworkAccess.ConstrainedInternet, ConnectionKinds.Ethernet, false, false)]
    [InlineData(NetworkAccess.Local, ConnectionKinds.WiFi, false, false)]
    [InlineData(NetworkAccess.None, ConnectionKinds.None, null, false)]
    public void HasUnmeteredInternet_NeedsInternetOverWiFiOrEthernetNotMetered(
        NetworkAccess access, ConnectionKinds connections, bool? isMetered, bool expected)
    {
        Assert.Equal(expected, new ConnectivityState(access, connections, isMetered).HasUnmeteredInternet);
    }

    [Fact]
    public void HasUnmeteredInternet_Cellular_IsInternetButNotUnmetered()
    {
        Assert.True(FakeConnectivityProbe.Cellular.HasInternet);
        Assert.False(FakeConnectivityProbe.Cellular.HasUnmeteredInternet);
    }

    [Fact]
    public void HasUnmeteredInternet_WiFi_IsBoth()
    {
        Assert.True(FakeConnectivityProbe.WiFi.HasInternet);
        Assert.True(FakeConnectivityProbe.WiFi.HasUnmeteredInternet);
    }

    [Fact]
    public void Offline_HasNoNetwork()
    {
        Assert.Equal(new ConnectivityState(NetworkAccess.None, ConnectionKinds.None, null), ConnectivityState.Offline);
        Assert.False(ConnectivityState.Offline.HasInternet);
        Assert.False(ConnectivityState.Offline.HasUnmeteredInternet);
    }

    [Fact]
    public void Equality_SameValues_AreEqual()
    {
        Assert.Equal(new ConnectivityState(NetworkAccess.Internet, ConnectionKinds.WiFi, false), FakeConnectivityProbe.WiFi);
        Assert.NotEqual(new ConnectivityState(NetworkAccess.Internet, ConnectionKinds.WiFi, null), FakeConnectivityProbe.WiFi);
    }
}
