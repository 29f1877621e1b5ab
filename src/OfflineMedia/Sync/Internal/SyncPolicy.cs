using OfflineMedia.Profiles;

namespace OfflineMedia.Sync.Internal;

/// <summary>Whether a strategy allows downloading on a network, and why not.</summary>
internal static class SyncPolicy
{
    /// <returns><see langword="null"/> when allowed; otherwise the reason, in words an app can show.</returns>
    public static string? Refusal(SyncStrategy strategy, ConnectivityState network, bool explicitRequest)
    {
        if (strategy == SyncStrategy.Manual && !explicitRequest)
        {
            return "the sync strategy is Manual: media download only when the user asks";
        }

        if (!network.HasInternet)
        {
            return network.Access == NetworkAccess.ConstrainedInternet
                ? "the network does not reach the internet (a captive portal?)"
                : "there is no internet connection";
        }

        return strategy == SyncStrategy.WiFiOnly && !network.HasUnmeteredInternet
            ? "the sync strategy is Wi-Fi only and the device is not on Wi-Fi or Ethernet"
            : null;
    }

    /// <summary>Whether downloads now cost the user data: cellular or a metered network.</summary>
    public static bool IsMetered(ConnectivityState network) =>
        network.IsMetered == true || (network.Connections & (ConnectionKinds.WiFi | ConnectionKinds.Ethernet)) == 0;
}
