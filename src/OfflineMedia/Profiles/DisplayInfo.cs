namespace OfflineMedia.Profiles;

/// <summary>The physical size of the main display, as reported by an <see cref="IDisplayProbe"/>.</summary>
/// <param name="WidthPixels">The width in physical pixels.</param>
/// <param name="HeightPixels">The height in physical pixels.</param>
/// <param name="PixelsPerInch">
/// The physical pixel density. On Android this is <c>DisplayMetrics.Xdpi</c>; with MAUI Essentials,
/// <c>DeviceDisplay.MainDisplayInfo.Density * 160</c> on Android and <c>* 163</c> on iOS.
/// </param>
public readonly record struct DisplayInfo(int WidthPixels, int HeightPixels, double PixelsPerInch)
{
    /// <summary>Gets the diagonal of the display in inches, or 0 when the values are not positive.</summary>
    public double DiagonalInches =>
        WidthPixels > 0 && HeightPixels > 0 && PixelsPerInch > 0
            ? Math.Sqrt(((double)WidthPixels * WidthPixels) + ((double)HeightPixels * HeightPixels)) / PixelsPerInch
            : 0;
}
