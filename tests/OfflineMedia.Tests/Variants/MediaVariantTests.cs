using OfflineMedia.Variants;

namespace OfflineMedia.Tests.Variants;

public sealed class MediaVariantTests
{
    [Fact]
    public void Constructor_AllValues_KeepsThem()
    {
        var variant = new MediaVariant("720p", "https://cdn.example.com/v/720p.mp4?sig=abc", 10_485_760, "ABCDEF0123");

        Assert.Equal("720p", variant.Name);
        Assert.Equal("https://cdn.example.com/v/720p.mp4?sig=abc", variant.Url);
        Assert.Equal(10_485_760, variant.Bytes);
        Assert.Equal("abcdef0123", variant.Sha256);
        Assert.Equal("720p", variant.ToString());
    }

    [Fact]
    public void Constructor_NoSizeOrDigest_LeavesThemNull()
    {
        var variant = new MediaVariant("small", "/s.jpg", sha256: "");

        Assert.Null(variant.Bytes);
        Assert.Null(variant.Sha256);
    }

    [Theory]
    [InlineData(null, "/u")]
    [InlineData("", "/u")]
    [InlineData(" ", "/u")]
    [InlineData("small", null)]
    [InlineData("small", "")]
    [InlineData("small", "  ")]
    public void Constructor_MissingNameOrUrl_Throws(string? name, string? url)
    {
        Assert.ThrowsAny<ArgumentException>(() => new MediaVariant(name!, url!));
    }

    [Fact]
    public void Constructor_NegativeBytes_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>("bytes", () => new MediaVariant("small", "/s", -1));
    }
}
