using OfflineMedia.Profiles;

namespace OfflineMedia.Testing;

/// <summary>A display probe whose display a test sets.</summary>
public sealed class FakeDisplayProbe : IDisplayProbe
{
    /// <summary>Initializes a new instance of the <see cref="FakeDisplayProbe"/> class.</summary>
    /// <param name="display">The display to report, or <see langword="null"/> for none.</param>
    public FakeDisplayProbe(DisplayInfo? display = null) => Display = display;

    /// <summary>Gets or sets the display to report, or <see langword="null"/> for none.</summary>
    public DisplayInfo? Display { get; set; }

    /// <summary>Gets a 6.1-inch phone display (1170 × 2532 pixels at 460 ppi).</summary>
    public static DisplayInfo Phone { get; } = new(1170, 2532, 460);

    /// <summary>Gets an 8.3-inch tablet display (1488 × 2266 pixels at 326 ppi).</summary>
    public static DisplayInfo Tablet { get; } = new(1488, 2266, 326);

    /// <summary>Gets a 27-inch desktop display (2560 × 1440 pixels at 109 ppi).</summary>
    public static DisplayInfo Desktop { get; } = new(2560, 1440, 109);

    /// <inheritdoc />
    public DisplayInfo? GetDisplay() => Display;
}
