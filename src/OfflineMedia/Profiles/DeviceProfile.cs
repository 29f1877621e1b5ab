namespace OfflineMedia.Profiles;

/// <summary>What the SDK knows of the device when it chooses media: its class, free storage and network.</summary>
/// <param name="Class">The kind of device.</param>
/// <param name="ScreenInches">The diagonal of the main display, or <see langword="null"/> when there is none.</param>
/// <param name="AvailableStorageBytes">The bytes free where the cache lives.</param>
/// <param name="Connectivity">The network.</param>
public sealed record DeviceProfile(
    DeviceClass Class,
    double? ScreenInches,
    long AvailableStorageBytes,
    ConnectivityState Connectivity);
