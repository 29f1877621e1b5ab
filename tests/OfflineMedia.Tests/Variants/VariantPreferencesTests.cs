using OfflineMedia.Variants;

namespace OfflineMedia.Tests.Variants;

public sealed class VariantPreferencesTests
{
    [Fact]
    public void Default_DownloadsVideosAtAutoQuality()
    {
        Assert.True(VariantPreferences.Default.DownloadVideos);
        Assert.Equal(VideoQuality.Auto, VariantPreferences.Default.VideoQuality);
        Assert.Equal(VariantPreferences.Default, new VariantPreferences());
    }
}
