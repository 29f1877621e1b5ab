namespace OfflineMedia.Profiles.Internal;

/// <summary>The default display probe of desktop and console hosts: no display, so the device counts as a desktop.</summary>
internal sealed class NoDisplayProbe : IDisplayProbe
{
    public DisplayInfo? GetDisplay() => null;
}
