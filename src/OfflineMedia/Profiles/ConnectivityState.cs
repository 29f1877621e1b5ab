namespace OfflineMedia.Profiles;

/// <summary>The network as an <see cref="IConnectivityProbe"/> sees it at one moment.</summary>
/// <param name="Access">How far the device can reach.</param>
/// <param name="Connections">The kinds of connection that are up.</param>
/// <param name="IsMetered">Whether traffic is charged by volume, or <see langword="null"/> when the platform does not say.</param>
public sealed record ConnectivityState(NetworkAccess Access, ConnectionKinds Connections, bool? IsMetered = null)
{
    /// <summary>Gets a state with no network at all.</summary>
    public static ConnectivityState Offline { get; } = new(NetworkAccess.None, ConnectionKinds.None, IsMetered: null);

    /// <summary>Gets a value indicating whether the internet is fully reachable (a captive portal is not).</summary>
    public bool HasInternet => Access == NetworkAccess.Internet;

    /// <summary>Gets a value indicating whether the internet is reachable over Wi-Fi or Ethernet, the connections a Wi-Fi-only user allows.</summary>
    public bool HasUnmeteredInternet =>
        HasInternet && (Connections & (ConnectionKinds.WiFi | ConnectionKinds.Ethernet)) != 0 && IsMetered != true;
}
