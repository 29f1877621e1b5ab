using OfflineMedia.Playback.Internal;

namespace OfflineMedia.Tests.Playback;

public sealed class LocalMediaServerRangeTests
{
    [Theory]
    [InlineData(null, 0, 1000)]
    [InlineData("", 0, 1000)]
    [InlineData("bytes=0-499", 0, 500)]
    [InlineData("bytes=500-", 500, 500)]
    [InlineData("bytes=-200", 800, 200)]
    [InlineData("bytes=-5000", 0, 1000)]
    [InlineData("bytes=990-5000", 990, 10)]
    [InlineData("bytes=999-999", 999, 1)]
    [InlineData("Bytes= 10 - 19 ", 10, 10)]
    [InlineData("bytes=0-99999999999999999999999", 0, 1000)]
    public void Resolve_Satisfiable_GivesStartAndCount(string? header, long start, long count)
    {
        var range = LocalMediaServerRange.Parse(header);

        Assert.True(range.TryResolve(1000, out var from, out var length));
        Assert.Equal((start, count), (from, length));
    }

    [Theory]
    [InlineData("bytes=1000-")]
    [InlineData("bytes=1000-2000")]
    [InlineData("bytes=-0")]
    [InlineData("bytes=99999999999999999999999-")]
    public void Resolve_PastTheEnd_IsUnsatisfiable(string header)
    {
        var range = LocalMediaServerRange.Parse(header);

        Assert.Equal(LocalMediaServerRangeKind.One, range.Kind);
        Assert.False(range.TryResolve(1000, out _, out _));
    }

    [Fact]
    public void Resolve_AnyRangeOfAnEmptyFile_IsUnsatisfiable()
    {
        Assert.False(LocalMediaServerRange.Parse("bytes=0-").TryResolve(0, out _, out _));
        Assert.False(LocalMediaServerRange.Parse("bytes=-10").TryResolve(0, out _, out _));
        Assert.True(LocalMediaServerRange.Parse(null).TryResolve(0, out _, out var count));
        Assert.Equal(0, count);
    }

    [Theory]
    [InlineData("bytes=0-1,5-9")]
    [InlineData("bytes=9-5")]
    [InlineData("items=0-5")]
    [InlineData("none=")]
    public void Parse_SeveralInvertedOrAnotherUnit_IsUnsupported(string header)
    {
        var range = LocalMediaServerRange.Parse(header);

        Assert.Equal(LocalMediaServerRangeKind.Unsupported, range.Kind);
        Assert.False(range.TryResolve(1000, out _, out _));
    }

    [Theory]
    [InlineData("bytes")]
    [InlineData("=0-5")]
    [InlineData("bytes=")]
    [InlineData("bytes=-")]
    [InlineData("bytes=5")]
    [InlineData("bytes=a-b")]
    [InlineData("bytes=+5-10")]
    [InlineData("bytes=-5-10")]
    [InlineData("bytes=1 0-20")]
    [InlineData("bytes=٣-٥")] // Digits, but not ASCII ones.
    public void Parse_NotARange_IsMalformed(string header) =>
        Assert.Equal(LocalMediaServerRangeKind.Malformed, LocalMediaServerRange.Parse(header).Kind);

    [Fact]
    public void Parse_HugeHeader_IsMalformedWithoutReadingIt() =>
        Assert.Equal(LocalMediaServerRangeKind.Malformed, LocalMediaServerRange.Parse("bytes=" + new string('1', 1_000_000) + "-").Kind);
}
