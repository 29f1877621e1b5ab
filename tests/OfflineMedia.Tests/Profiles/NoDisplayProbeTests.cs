using Microsoft.Extensions.Options;
using NSubstitute;
using OfflineMedia.Profiles;
using OfflineMedia.Profiles.Internal;
using OfflineMedia.Testing;

namespace OfflineMedia.Tests.Profiles;

public sealed class NoDisplayProbeTests
{
    [Fact]
    public void GetDisplay_Always_ReturnsNull()
    {
        Assert.Null(new NoDisplayProbe().GetDisplay());
    }

    [Fact]
    public void GetDisplay_InTheProvider_MakesTheDeviceADesktop()
    {
        var monitor = Substitute.For<IOptionsMonitor<OfflineMediaOptions>>();
        monitor.CurrentValue.Returns(new OfflineMediaOptions());
        var provider = new DefaultDeviceProfileProvider(new NoDisplayProbe(), new FakeStorageProbe(0), new FakeConnectivityProbe(), monitor);

        var profile = provider.GetProfile();

        Assert.Equal(DeviceClass.Desktop, profile.Class);
        Assert.Null(profile.ScreenInches);
    }
}
