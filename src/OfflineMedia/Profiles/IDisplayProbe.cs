namespace OfflineMedia.Profiles;

/// <summary>Reads the device's main display. Platform adapters implement it; the default reports no display.</summary>
public interface IDisplayProbe
{
    /// <summary>Gets the main display, or <see langword="null"/> when the host has none (a server or console tool).</summary>
    /// <returns>The display, or <see langword="null"/> for a host without a display, which counts as a desktop.</returns>
    DisplayInfo? GetDisplay();
}
