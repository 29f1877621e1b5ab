using System.Net.NetworkInformation;

namespace OfflineMedia.Profiles.Internal;

/// <summary>
/// The default connectivity probe of desktop and console hosts, from <c>System.Net.NetworkInformation</c>.
/// It cannot see a captive portal: an interface with a gateway counts as <see cref="NetworkAccess.Internet"/>.
/// Mobile hosts plug in their platform's probe instead.
/// </summary>
internal sealed class NetworkInformationConnectivityProbe : IConnectivityProbe, IDisposable
{
    private readonly object _gate = new();
    private ConnectivityState _current;
    private EventHandler<ConnectivityState>? _changed;
    private bool _subscribed;

    public NetworkInformationConnectivityProbe() => _current = Read();

    public event EventHandler<ConnectivityState>? Changed
    {
        add
        {
            lock (_gate)
            {
                _changed += value;
                if (!_subscribed)
                {
                    // Subscribe lazily: hosts that never listen pay nothing.
                    NetworkChange.NetworkAddressChanged += OnNetworkChanged;
                    NetworkChange.NetworkAvailabilityChanged += OnNetworkChanged;
                    _subscribed = true;
                }
            }
        }

        remove
        {
            lock (_gate)
            {
                _changed -= value;
            }
        }
    }

    public ConnectivityState Current
    {
        get
        {
            var state = Read();
            lock (_gate)
            {
                _current = state;
            }

            return state;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_subscribed)
            {
                NetworkChange.NetworkAddressChanged -= OnNetworkChanged;
                NetworkChange.NetworkAvailabilityChanged -= OnNetworkChanged;
                _subscribed = false;
            }

            _changed = null;
        }
    }

    internal static ConnectivityState Read()
    {
        NetworkInterface[] interfaces;
        try
        {
            interfaces = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (Exception ex) when (ex is NetworkInformationException or PlatformNotSupportedException)
        {
            return new ConnectivityState(NetworkAccess.Unknown, ConnectionKinds.Unknown);
        }

        var kinds = ConnectionKinds.None;
        var hasGateway = false;
        foreach (var nic in interfaces)
        {
            if (nic.OperationalStatus != OperationalStatus.Up
                || nic.NetworkInterfaceType is NetworkInterfaceType.Loopback or NetworkInterfaceType.Tunnel)
            {
                continue;
            }

            kinds |= Classify(nic.NetworkInterfaceType);
            hasGateway |= HasGateway(nic);
        }

        var access = kinds == ConnectionKinds.None ? NetworkAccess.None
            : hasGateway ? NetworkAccess.Internet
            : NetworkAccess.Local;
        var metered = kinds == ConnectionKinds.Cellular ? true : (bool?)null;
        return new ConnectivityState(access, kinds, metered);
    }

    private static ConnectionKinds Classify(NetworkInterfaceType type) => type switch
    {
        NetworkInterfaceType.Wireless80211 => ConnectionKinds.WiFi,
        NetworkInterfaceType.Ethernet or NetworkInterfaceType.Ethernet3Megabit or NetworkInterfaceType.FastEthernetFx
            or NetworkInterfaceType.FastEthernetT or NetworkInterfaceType.GigabitEthernet => ConnectionKinds.Ethernet,
        NetworkInterfaceType.Wwanpp or NetworkInterfaceType.Wwanpp2 or NetworkInterfaceType.Ppp => ConnectionKinds.Cellular,
        _ => ConnectionKinds.Unknown,
    };

    private static bool HasGateway(NetworkInterface nic)
    {
        try
        {
            return nic.GetIPProperties().GatewayAddresses.Count > 0;
        }
        catch (NetworkInformationException)
        {
            return false;
        }
    }

    private void OnNetworkChanged(object? sender, EventArgs e)
    {
        var state = Read();
        EventHandler<ConnectivityState>? handler;
        lock (_gate)
        {
            if (state == _current)
            {
                return;
            }

            _current = state;
            handler = _changed;
        }

        handler?.Invoke(this, state);
    }
}
