using OfflineMedia.Cache;
using OfflineMedia.Catalog;
using OfflineMedia.Internal;
using OfflineMedia.Variants;

namespace OfflineMedia.Tests.Internal;

public sealed class SafeTextTests
{
    [Theory]
    [InlineData("\u001B]0;owned\u0007\u001B[2J", @"\u001B]0;owned\u0007\u001B[2J")]
    [InlineData("line\r\nforged", @"line\u000D\u000Aforged")]
    [InlineData("tab\there", @"tab\u0009here")]
    [InlineData("c1 \u009B31m csi", @"c1 \u009B31m csi")]
    [InlineData("del\u007F", @"del\u007F")]
    [InlineData("abc\u202Egpj.exe", @"abc\u202Egpj.exe")] // A right-to-left override reorders what a reader sees.
    public void Escape_ControlCharacters_AreWrittenAsCodes(string text, string expected) =>
        Assert.Equal(expected, SafeText.Escape(text));

    [Theory]
    [InlineData("squat")]
    [InlineData("스쿼트-😀 [bold]")]
    [InlineData(@"already \u001B escaped")]
    [InlineData("")]
    public void Escape_PrintableText_IsTheSameInstance(string text) => Assert.Same(text, SafeText.Escape(text));

    [Fact]
    public void Escape_Null_IsNull() => Assert.Null(SafeText.Escape(null));

    [Fact]
    public void MediaKeyToString_ControlCharactersInIdOrVariant_AreEscaped()
    {
        var key = new MediaKey("squat\u001B[2J", MediaKind.Video, "720p\u0007");

        Assert.Equal(@"squat\u001B[2J/video/720p\u0007", key.ToString());
    }

    [Fact]
    public void Exceptions_MessageFromTheNetwork_CarryNoControlCharacters()
    {
        var catalog = new CatalogException(CatalogError.InvalidResponse, "workout '\u001B]0;x\u0007' has no scheduledAt");
        var cache = new MediaCacheException(MediaCacheError.HttpStatus, "the server answered 500 \u001B[2J");

        Assert.Equal(@"workout '\u001B]0;x\u0007' has no scheduledAt", catalog.Message);
        Assert.Equal(@"the server answered 500 \u001B[2J", cache.Message);
    }
}
