using OfflineMedia.Profiles;
using OfflineMedia.Testing;

namespace OfflineMedia.Tests.Profiles;

public sealed class FakeDisplayProbeTests
{
    [Fact]
    public void GetDisplay_NoDisplay_ReturnsNull()
    {
        Assert.Null(new FakeDisplayProbe().GetDisplay());
    }

    [Fact]
    public void GetDisplay_SetDisplay_ReturnsIt()
    {
        var probe = new FakeDisplayProbe { Display = new DisplayInfo(300, 400, 100) };

        Assert.Equal(new DisplayInfo(300, 400, 100), probe.GetDisplay());
    }
}
