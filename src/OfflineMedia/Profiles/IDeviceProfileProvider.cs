namespace OfflineMedia.Profiles;

/// <summary>Builds the <see cref="DeviceProfile"/> from the display, storage and connectivity probes.</summary>
public interface IDeviceProfileProvider
{
    /// <summary>Reads the probes and returns the device as it is now.</summary>
    /// <returns>A profile; each call reads the probes again, since storage and network change.</returns>
    DeviceProfile GetProfile();
}
