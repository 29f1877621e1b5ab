using OfflineMedia.Profiles;
using OfflineMedia.Testing;

namespace OfflineMedia.Tests.Profiles;

public sealed class DisplayInfoTests
{
    [Theory]
    [InlineData(300, 400, 100, 5.0)]
    [InlineData(3, 4, 1, 5.0)]
    [InlineData(400, 300, 50, 10.0)]
    [InlineData(1000, 1000, 100, 14.142135623730951)]
    public void DiagonalInches_PositiveValues_IsTheDiagonalOverDensity(int width, int height, double pixelsPerInch, double expected)
    {
        Assert.Equal(expected, new DisplayInfo(width, height, pixelsPerInch).DiagonalInches, 12);
    }

    [Theory]
    [InlineData(0, 400, 100)]
    [InlineData(300, 0, 100)]
    [InlineData(300, 400, 0)]
    [InlineData(-300, 400, 100)]
    [InlineData(300, -400, 100)]
    [InlineData(300, 400, -100)]
    [InlineData(300, 400, double.NaN)]
    public void DiagonalInches_NonPositiveValue_IsZero(int width, int height, double pixelsPerInch)
    {
        Assert.Equal(0, new DisplayInfo(width, height, pixelsPerInch).DiagonalInches);
    }

    [Fact]
    public void DiagonalInches_HugePixelCounts_DoNotOverflow()
    {
        var inches = new DisplayInfo(int.MaxValue, int.MaxValue, 1).DiagonalInches;

        Assert.Equal(int.MaxValue * Math.Sqrt(2), inches, 1);
    }

    [Fact]
    public void DiagonalInches_FakeDisplays_AreTheirAdvertisedSizes()
    {
        Assert.Equal(6.06, FakeDisplayProbe.Phone.DiagonalInches, 2);
        Assert.Equal(8.3, FakeDisplayProbe.Tablet.DiagonalInches, 1);
        Assert.Equal(26.9, FakeDisplayProbe.Desktop.DiagonalInches, 1);
    }
}
