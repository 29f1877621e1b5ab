namespace OfflineMedia.Profiles;

/// <summary>Reports the network and its changes. The default reads <c>System.Net.NetworkInformation</c>.</summary>
public interface IConnectivityProbe
{
    /// <summary>Gets the network as it is now.</summary>
    ConnectivityState Current { get; }

    /// <summary>Occurs when the network changes; the argument is the new state. It may be raised on any thread.</summary>
    event EventHandler<ConnectivityState>? Changed;
}
