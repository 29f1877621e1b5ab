namespace OfflineMedia.Profiles;

/// <summary>The kinds of connection that are up; several can be at once.</summary>
[Flags]
public enum ConnectionKinds
{
    /// <summary>No connection.</summary>
    None = 0,

    /// <summary>Wi-Fi.</summary>
    WiFi = 1,

    /// <summary>A mobile data connection.</summary>
    Cellular = 2,

    /// <summary>A wired connection.</summary>
    Ethernet = 4,

    /// <summary>Bluetooth tethering.</summary>
    Bluetooth = 8,

    /// <summary>A connection of a kind the probe cannot tell.</summary>
    Unknown = 16,
}
