using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;
using OfflineMedia.Internal;
using OfflineMedia.Variants;

namespace OfflineMedia.Tests.Catalog;

/// <summary>The catalog's and planner's check of ids says exactly what the cache refuses, and describes ids safely.</summary>
public sealed class MediaIdsTests
{
    [Theory]
    [InlineData("squat")]
    [InlineData("..")]
    [InlineData("week 1/day ü")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\u0000b")]
    [InlineData("a\tb")]
    [InlineData("a\u0085b")]
    [InlineData("a\u202Eb")]
    public void Problem_AgreesWithTheCache(string id) => Assert.Equal(CacheRefuses(id), MediaIds.Problem(id) is not null);

    [Theory]
    [InlineData(2048)]
    [InlineData(2049)]
    [InlineData(3000)]
    public void Problem_LongIds_AgreeWithTheCache(int length)
    {
        var id = new string('a', length);

        Assert.Equal(CacheRefuses(id), MediaIds.Problem(id) is not null);
    }

    [Fact]
    public void Describe_ControlCharactersAndLength_AreEscapedAndCut()
    {
        Assert.Equal("a\\u0007b", MediaIds.Describe("a\u0007b"));
        var described = MediaIds.Describe(new string('a', 3000));
        Assert.StartsWith(new string('a', 40) + "…", described, StringComparison.Ordinal);
        Assert.Contains("3000 characters", described, StringComparison.Ordinal);
    }

    private static bool CacheRefuses(string id)
    {
        try
        {
            CachePaths.Validate(new MediaKey(id, MediaKind.Image, MediaVariantNames.Medium));
            return false;
        }
        catch (MediaCacheException)
        {
            return true;
        }
    }
}
