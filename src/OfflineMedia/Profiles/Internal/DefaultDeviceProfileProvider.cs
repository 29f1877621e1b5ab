using Microsoft.Extensions.Options;

namespace OfflineMedia.Profiles.Internal;

/// <summary>Composes the display, storage and connectivity probes into a <see cref="DeviceProfile"/>.</summary>
internal sealed class DefaultDeviceProfileProvider(
    IDisplayProbe display,
    IStorageProbe storage,
    IConnectivityProbe connectivity,
    IOptionsMonitor<OfflineMediaOptions> options) : IDeviceProfileProvider
{
    public DeviceProfile GetProfile()
    {
        var settings = options.CurrentValue;
        double? inches = display.GetDisplay() is { DiagonalInches: > 0 } info ? info.DiagonalInches : null;
        return new DeviceProfile(
            Classify(inches, settings),
            inches,
            Math.Max(0, storage.GetAvailableBytes(settings.CacheDirectory)),
            connectivity.Current);
    }

    internal static DeviceClass Classify(double? inches, OfflineMediaOptions settings) => inches switch
    {
        null => DeviceClass.Desktop, // No display: a desktop, a server or a console tool.
        var i when i < settings.TabletMinScreenInches => DeviceClass.Phone,
        var i when i < settings.DesktopMinScreenInches => DeviceClass.Tablet,
        _ => DeviceClass.Desktop,
    };
}
