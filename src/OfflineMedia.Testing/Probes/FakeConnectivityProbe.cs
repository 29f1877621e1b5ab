using OfflineMedia.Profiles;

namespace OfflineMedia.Testing;

/// <summary>A connectivity probe a test switches between networks; each switch raises <see cref="Changed"/>.</summary>
public sealed class FakeConnectivityProbe : IConnectivityProbe
{
    private ConnectivityState _current;

    /// <summary>Initializes a new instance of the <see cref="FakeConnectivityProbe"/> class.</summary>
    /// <param name="initial">The starting state; the default is <see cref="WiFi"/>.</param>
    public FakeConnectivityProbe(ConnectivityState? initial = null) => _current = initial ?? WiFi;

    /// <inheritdoc />
    public event EventHandler<ConnectivityState>? Changed;

    /// <summary>Gets full internet over Wi-Fi.</summary>
    public static ConnectivityState WiFi { get; } = new(NetworkAccess.Internet, ConnectionKinds.WiFi, IsMetered: false);

    /// <summary>Gets full internet over a metered cellular connection.</summary>
    public static ConnectivityState Cellular { get; } = new(NetworkAccess.Internet, ConnectionKinds.Cellular, IsMetered: true);

    /// <summary>Gets a gym's Wi-Fi behind a captive portal.</summary>
    public static ConnectivityState CaptivePortal { get; } = new(NetworkAccess.ConstrainedInternet, ConnectionKinds.WiFi, IsMetered: false);

    /// <summary>Gets no network at all.</summary>
    public static ConnectivityState Offline => ConnectivityState.Offline;

    /// <inheritdoc />
    public ConnectivityState Current => Volatile.Read(ref _current);

    /// <summary>Switches to <paramref name="state"/> and raises <see cref="Changed"/> when it differs.</summary>
    /// <param name="state">The new network.</param>
    public void Set(ConnectivityState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var previous = Interlocked.Exchange(ref _current, state);
        if (previous != state)
        {
            Changed?.Invoke(this, state);
        }
    }
}
