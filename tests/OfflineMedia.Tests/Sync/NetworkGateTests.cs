using Microsoft.Extensions.Time.Testing;
using OfflineMedia.Sync;
using OfflineMedia.Sync.Internal;
using OfflineMedia.Testing;

namespace OfflineMedia.Tests.Sync;

public sealed class NetworkGateTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void New_OnAnAllowedNetwork_IsAllowedWithALiveToken()
    {
        var probe = new FakeConnectivityProbe(FakeConnectivityProbe.WiFi);

        using var gate = new NetworkGate(probe, SyncStrategy.WiFiOnly, explicitRequest: true);

        Assert.True(gate.IsAllowed);
        Assert.False(gate.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task New_OnANetworkTheStrategyRefuses_IsNotAllowedAndWaitsForTheRightOne()
    {
        var probe = new FakeConnectivityProbe(FakeConnectivityProbe.Cellular);
        using var gate = new NetworkGate(probe, SyncStrategy.WiFiOnly, explicitRequest: true);

        var back = gate.WaitAsync(TimeSpan.FromMinutes(5), _time, CancellationToken.None);

        Assert.False(gate.IsAllowed);
        Assert.False(back.IsCompleted);
        probe.Set(FakeConnectivityProbe.WiFi);
        Assert.True(await back.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(gate.IsAllowed);
    }

    [Fact]
    public void Changed_ToANetworkTheStrategyRefuses_CancelsTheLostToken()
    {
        var probe = new FakeConnectivityProbe(FakeConnectivityProbe.WiFi);
        using var gate = new NetworkGate(probe, SyncStrategy.WiFiOnly, explicitRequest: true);
        var lost = gate.Lost;

        probe.Set(FakeConnectivityProbe.Cellular);

        Assert.True(lost.IsCancellationRequested);
        Assert.False(gate.IsAllowed);
    }

    [Fact]
    public void Changed_BetweenAllowedNetworks_KeepsTheDownloadsGoing()
    {
        var probe = new FakeConnectivityProbe(FakeConnectivityProbe.WiFi);
        using var gate = new NetworkGate(probe, SyncStrategy.WiFiAndCellular, explicitRequest: true);
        var lost = gate.Lost;

        probe.Set(FakeConnectivityProbe.Cellular);

        Assert.False(lost.IsCancellationRequested);
        Assert.True(gate.IsAllowed);
    }

    [Fact]
    public async Task Changed_LostThenBack_GivesAFreshTokenAndEndsTheWait()
    {
        var probe = new FakeConnectivityProbe(FakeConnectivityProbe.WiFi);
        using var gate = new NetworkGate(probe, SyncStrategy.WiFiOnly, explicitRequest: false);
        var first = gate.Lost;

        probe.Set(FakeConnectivityProbe.CaptivePortal);
        var back = gate.WaitAsync(TimeSpan.FromMinutes(5), _time, CancellationToken.None);
        probe.Set(FakeConnectivityProbe.WiFi);

        Assert.True(await back.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(first.IsCancellationRequested);
        Assert.False(gate.Lost.IsCancellationRequested);

        // And it can be lost again.
        var second = gate.Lost;
        probe.Set(FakeConnectivityProbe.Offline);
        Assert.True(second.IsCancellationRequested);
    }

    [Fact]
    public async Task WaitAsync_NetworkNeverReturns_IsFalseAfterTheTimeout()
    {
        var probe = new FakeConnectivityProbe(FakeConnectivityProbe.Offline);
        using var gate = new NetworkGate(probe, SyncStrategy.WiFiAndCellular, explicitRequest: true);

        var back = gate.WaitAsync(TimeSpan.FromMinutes(5), _time, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.False(back.IsCompleted);
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.False(await back.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task WaitAsync_Allowed_IsTrueAtOnce()
    {
        using var gate = new NetworkGate(new FakeConnectivityProbe(), SyncStrategy.WiFiOnly, explicitRequest: true);

        Assert.True(await gate.WaitAsync(TimeSpan.Zero, _time, CancellationToken.None));
    }

    [Fact]
    public async Task WaitAsync_Canceled_Throws()
    {
        using var gate = new NetworkGate(new FakeConnectivityProbe(FakeConnectivityProbe.Offline), SyncStrategy.WiFiOnly, explicitRequest: true);
        using var cancel = new CancellationTokenSource();

        var back = gate.WaitAsync(TimeSpan.FromMinutes(5), _time, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => back);
    }

    [Fact]
    public void New_ManualForAScheduledSync_IsNeverAllowed()
    {
        using var gate = new NetworkGate(new FakeConnectivityProbe(), SyncStrategy.Manual, explicitRequest: false);

        Assert.False(gate.IsAllowed);
    }

    [Fact]
    public void Dispose_ThenTheNetworkChanges_NothingHappens()
    {
        var probe = new FakeConnectivityProbe(FakeConnectivityProbe.WiFi);
        var gate = new NetworkGate(probe, SyncStrategy.WiFiOnly, explicitRequest: true);

        gate.Dispose();
        var exception = Record.Exception(() => probe.Set(FakeConnectivityProbe.Cellular));

        Assert.Null(exception);
    }
}
