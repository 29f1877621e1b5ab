namespace OfflineMedia.Profiles;

/// <summary>The kind of device, which decides the media variants it downloads or streams.</summary>
public enum DeviceClass
{
    /// <summary>A screen under <see cref="OfflineMediaOptions.TabletMinScreenInches"/> (7 inches by default).</summary>
    Phone,

    /// <summary>A screen from <see cref="OfflineMediaOptions.TabletMinScreenInches"/> up to <see cref="OfflineMediaOptions.DesktopMinScreenInches"/>.</summary>
    Tablet,

    /// <summary>A large screen, or no display at all (a desktop, a web front end's server, a console tool).</summary>
    Desktop,
}
