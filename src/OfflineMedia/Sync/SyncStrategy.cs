namespace OfflineMedia.Sync;

/// <summary>When media may be downloaded.</summary>
public enum SyncStrategy
{
    /// <summary>Only over Wi-Fi or Ethernet with full internet access (a captive portal does not count).</summary>
    WiFiOnly,

    /// <summary>Over any connection with full internet access, cellular included.</summary>
    WiFiAndCellular,

    /// <summary>Only when the user asks ("Sync now"); scheduled syncs do nothing.</summary>
    Manual,
}
