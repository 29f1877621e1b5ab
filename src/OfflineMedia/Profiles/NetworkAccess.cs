namespace OfflineMedia.Profiles;

/// <summary>How far the device can reach, mirroring MAUI Essentials' <c>NetworkAccess</c> so adapters are one-liners.</summary>
public enum NetworkAccess
{
    /// <summary>The state is not known.</summary>
    Unknown = 0,

    /// <summary>No connection.</summary>
    None = 1,

    /// <summary>A local network only.</summary>
    Local = 2,

    /// <summary>A network that does not reach the internet freely, such as a gym's Wi-Fi behind a captive portal.</summary>
    ConstrainedInternet = 3,

    /// <summary>Full internet access.</summary>
    Internet = 4,
}
