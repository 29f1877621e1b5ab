using OfflineMedia.Profiles;
using OfflineMedia.Sync;
using OfflineMedia.Sync.Internal;
using OfflineMedia.Testing;

namespace OfflineMedia.Tests.Sync;

public sealed class SyncPolicyTests
{
    private static readonly ConnectivityState s_ethernet = new(NetworkAccess.Internet, ConnectionKinds.Ethernet, IsMetered: false);
    private static readonly ConnectivityState s_meteredWiFi = new(NetworkAccess.Internet, ConnectionKinds.WiFi, IsMetered: true);
    private static readonly ConnectivityState s_wiFiUnknownMetering = new(NetworkAccess.Internet, ConnectionKinds.WiFi, IsMetered: null);
    private static readonly ConnectivityState s_wiFiAndCellular = new(NetworkAccess.Internet, ConnectionKinds.WiFi | ConnectionKinds.Cellular, IsMetered: false);
    private static readonly ConnectivityState s_localOnly = new(NetworkAccess.Local, ConnectionKinds.WiFi, IsMetered: false);

    public static TheoryData<SyncStrategy, ConnectivityState, bool, bool> Decisions => new()
    {
        // Strategy, network, explicit request, allowed.
        { SyncStrategy.WiFiOnly, FakeConnectivityProbe.WiFi, false, true },
        { SyncStrategy.WiFiOnly, s_ethernet, false, true },
        { SyncStrategy.WiFiOnly, s_wiFiUnknownMetering, false, true },
        { SyncStrategy.WiFiOnly, s_wiFiAndCellular, false, true },
        { SyncStrategy.WiFiOnly, FakeConnectivityProbe.Cellular, false, false },
        { SyncStrategy.WiFiOnly, FakeConnectivityProbe.Cellular, true, false },
        { SyncStrategy.WiFiOnly, s_meteredWiFi, false, false },
        { SyncStrategy.WiFiOnly, FakeConnectivityProbe.CaptivePortal, true, false },
        { SyncStrategy.WiFiOnly, s_localOnly, true, false },
        { SyncStrategy.WiFiOnly, FakeConnectivityProbe.Offline, true, false },
        { SyncStrategy.WiFiAndCellular, FakeConnectivityProbe.Cellular, false, true },
        { SyncStrategy.WiFiAndCellular, s_meteredWiFi, false, true },
        { SyncStrategy.WiFiAndCellular, FakeConnectivityProbe.WiFi, false, true },
        { SyncStrategy.WiFiAndCellular, FakeConnectivityProbe.CaptivePortal, false, false },
        { SyncStrategy.WiFiAndCellular, FakeConnectivityProbe.Offline, true, false },
        { SyncStrategy.Manual, FakeConnectivityProbe.WiFi, false, false },
        { SyncStrategy.Manual, FakeConnectivityProbe.WiFi, true, true },
        { SyncStrategy.Manual, FakeConnectivityProbe.Cellular, true, true },
        { SyncStrategy.Manual, FakeConnectivityProbe.CaptivePortal, true, false },
        { SyncStrategy.Manual, FakeConnectivityProbe.Offline, true, false },
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void Refusal_StrategyAndNetwork_AllowsExactlyWhatTheStrategySays(SyncStrategy strategy, ConnectivityState network, bool explicitRequest, bool allowed)
    {
        var refusal = SyncPolicy.Refusal(strategy, network, explicitRequest);

        if (allowed)
        {
            Assert.Null(refusal);
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace(refusal));
        }
    }

    [Fact]
    public void Refusal_ManualScheduled_NamesTheStrategy()
    {
        Assert.Contains("Manual", SyncPolicy.Refusal(SyncStrategy.Manual, FakeConnectivityProbe.WiFi, explicitRequest: false), StringComparison.Ordinal);
    }

    [Fact]
    public void Refusal_CaptivePortal_SaysTheNetworkDoesNotReachTheInternet()
    {
        var refusal = SyncPolicy.Refusal(SyncStrategy.WiFiAndCellular, FakeConnectivityProbe.CaptivePortal, explicitRequest: true);

        Assert.Contains("captive portal", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Refusal_Offline_SaysThereIsNoConnection()
    {
        Assert.Contains("no internet connection", SyncPolicy.Refusal(SyncStrategy.WiFiOnly, FakeConnectivityProbe.Offline, explicitRequest: true), StringComparison.Ordinal);
    }

    [Fact]
    public void Refusal_WiFiOnlyOnCellular_NamesWiFi()
    {
        Assert.Contains("Wi-Fi", SyncPolicy.Refusal(SyncStrategy.WiFiOnly, FakeConnectivityProbe.Cellular, explicitRequest: true), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ConnectionKinds.Cellular, null, true)]
    [InlineData(ConnectionKinds.Cellular, false, true)]
    [InlineData(ConnectionKinds.WiFi, true, true)]
    [InlineData(ConnectionKinds.WiFi, null, false)]
    [InlineData(ConnectionKinds.WiFi, false, false)]
    [InlineData(ConnectionKinds.Ethernet, null, false)]
    [InlineData(ConnectionKinds.WiFi | ConnectionKinds.Cellular, false, false)]
    public void IsMetered_ConnectionAndFlag_IsTrueForCellularOrAMeteredNetwork(ConnectionKinds connections, bool? metered, bool expected)
    {
        Assert.Equal(expected, SyncPolicy.IsMetered(new ConnectivityState(NetworkAccess.Internet, connections, metered)));
    }
}
