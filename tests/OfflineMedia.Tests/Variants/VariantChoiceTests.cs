using OfflineMedia.Variants;

namespace OfflineMedia.Tests.Variants;

public sealed class VariantChoiceTests
{
    [Fact]
    public void Default_IsNotWantedWithoutVariant()
    {
        var choice = default(VariantChoice);

        Assert.Equal(VariantChoiceStatus.NotWanted, choice.Status);
        Assert.Null(choice.Requested);
        Assert.False(choice.HasVariant);
        Assert.Equal(0, choice.EstimatedBytes);
        Assert.Equal("not wanted", choice.ToString());
    }

    [Fact]
    public void ToString_EachStatus_DescribesTheChoice()
    {
        var small = new MediaVariant("small", "/s");

        Assert.Equal("small", new VariantChoice(VariantChoiceStatus.Exact, "small", small, 1).ToString());
        Assert.Equal("small (nearest to medium)", new VariantChoice(VariantChoiceStatus.Nearest, "medium", small, 1).ToString());
        Assert.Equal("none available (wanted large)", new VariantChoice(VariantChoiceStatus.NotAvailable, "large", null, 0).ToString());
    }

    [Fact]
    public void Equals_SameValues_AreEqual()
    {
        var small = new MediaVariant("small", "/s");
        var a = new VariantChoice(VariantChoiceStatus.Exact, "small", small, 5);
        var b = new VariantChoice(VariantChoiceStatus.Exact, "small", small, 5);

        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.True(a != new VariantChoice(VariantChoiceStatus.Exact, "small", new MediaVariant("small", "/s"), 5));
        Assert.True(a != new VariantChoice(VariantChoiceStatus.Nearest, "small", small, 5));
    }
}
