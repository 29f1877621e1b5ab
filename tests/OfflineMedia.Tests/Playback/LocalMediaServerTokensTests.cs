using OfflineMedia.Cache;
using OfflineMedia.Playback.Internal;
using OfflineMedia.Variants;

namespace OfflineMedia.Tests.Playback;

public sealed class LocalMediaServerTokensTests
{
    private static readonly MediaKey s_key = new("squat", MediaKind.Video, "720p");

    [Fact]
    public void Add_SameMediaTwice_SameTokenServingTheLatestSource()
    {
        var tokens = new LocalMediaServerTokens();
        var first = LocalMediaServerTarget.ThroughCache(s_key, new MediaSource("https://cdn.example.com/a.mp4?sig=1"));
        var second = LocalMediaServerTarget.ThroughCache(s_key, new MediaSource("https://cdn.example.com/a.mp4?sig=2"));

        var token = tokens.Add(s_key, first);

        Assert.Equal(token, tokens.Add(s_key, second));
        Assert.Same(second, tokens.Find(token));
    }

    [Fact]
    public void Add_OtherMedia_AnotherUnguessableToken()
    {
        var tokens = new LocalMediaServerTokens();
        var all = Enumerable.Range(0, 1000)
            .Select(i => tokens.Add(s_key with { Variant = $"v{i}" }, LocalMediaServerTarget.CachedFile($"/cache/{i}.mp4")))
            .ToList();

        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.All(all, token => Assert.Matches("^[0-9a-f]{32}$", token));
    }

    [Theory]
    [InlineData("/0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef")]
    [InlineData("/0123456789abcdef0123456789abcdef/720p.mp4", "0123456789abcdef0123456789abcdef")]
    [InlineData("/0123456789abcdef0123456789abcdef/720p.mp4?x=1", "0123456789abcdef0123456789abcdef")]
    [InlineData("/0123456789abcdef0123456789abcdef?x=1", "0123456789abcdef0123456789abcdef")]
    [InlineData("/", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("/0123456789abcdef0123456789abcde", null)]
    [InlineData("/0123456789abcdef0123456789abcdefa", null)]
    [InlineData("/0123456789ABCDEF0123456789ABCDEF", null)]
    [InlineData("/0123456789abcdef0123456789abcdeg", null)]
    [InlineData("0123456789abcdef0123456789abcdef/", null)]
    [InlineData("//0123456789abcdef0123456789abcdef", null)]
    public void TokenOf_Path_IsTheTokenOrNone(string? path, string? token) =>
        Assert.Equal(token, LocalMediaServerTokens.TokenOf(path));

    [Theory]
    [InlineData("https://cdn.example.com/squat/720p.mov?sig=1", "720p.mov")]
    [InlineData("https://cdn.example.com/squat/video?sig=1.webm", "720p.mp4")]
    [InlineData("https://cdn.example.com/squat/720p.jpg", "720p.mp4")] // Not a video's extension.
    public void ThroughCache_FileName_IsTheVariantWithAVideoExtension(string url, string name) =>
        Assert.Equal(name, LocalMediaServerTarget.ThroughCache(s_key, new MediaSource(url)).FileName);
}
