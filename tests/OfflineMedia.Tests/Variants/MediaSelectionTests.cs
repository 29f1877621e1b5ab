using OfflineMedia.Variants;

namespace OfflineMedia.Tests.Variants;

public sealed class MediaSelectionTests
{
    [Fact]
    public void EstimatedBytes_ThreeChoices_IsTheirSum()
    {
        var v = new MediaVariant("x", "/x");
        var selection = new MediaSelection(
            new VariantChoice(VariantChoiceStatus.Exact, "small", v, 100),
            new VariantChoice(VariantChoiceStatus.Nearest, "720p", v, 20),
            new VariantChoice(VariantChoiceStatus.Exact, "poster", v, 3));

        Assert.Equal(123, selection.EstimatedBytes);
    }

    [Fact]
    public void EstimatedBytes_NotWantedAndNotAvailable_CountNothing()
    {
        var v = new MediaVariant("x", "/x");
        var selection = new MediaSelection(
            new VariantChoice(VariantChoiceStatus.Exact, "small", v, 100),
            default,
            new VariantChoice(VariantChoiceStatus.NotAvailable, "poster", null, 0));

        Assert.Equal(100, selection.EstimatedBytes);
    }
}
