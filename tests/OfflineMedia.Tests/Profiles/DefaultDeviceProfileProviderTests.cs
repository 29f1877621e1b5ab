using Microsoft.Extensions.Options;
using NSubstitute;
using OfflineMedia.Profiles;
using OfflineMedia.Profiles.Internal;
using OfflineMedia.Testing;

namespace OfflineMedia.Tests.Profiles;

public sealed class DefaultDeviceProfileProviderTests
{
    private const long GiB = 1024L * 1024 * 1024;

    [Theory]
    // Pythagorean sizes at 100 ppi, so the diagonals are exact: 699, 700, 999 and 1000 pixels.
    [InlineData(315, 624, 6.99, DeviceClass.Phone)]
    [InlineData(420, 560, 7.0, DeviceClass.Tablet)]
    [InlineData(324, 945, 9.99, DeviceClass.Tablet)]
    [InlineData(600, 800, 10.0, DeviceClass.Desktop)]
    public void GetProfile_DisplayAtBoundary_ClassifiesByDiagonal(int width, int height, double inches, DeviceClass expected)
    {
        var provider = Provider(new FakeDisplayProbe(new DisplayInfo(width, height, 100)));

        var profile = provider.GetProfile();

        Assert.Equal(expected, profile.Class);
        Assert.Equal(inches, profile.ScreenInches!.Value, 12);
    }

    [Theory]
    [InlineData(6.999999, DeviceClass.Phone)]
    [InlineData(7.0, DeviceClass.Tablet)]
    [InlineData(9.999999, DeviceClass.Tablet)]
    [InlineData(10.0, DeviceClass.Desktop)]
    [InlineData(0.5, DeviceClass.Phone)]
    [InlineData(85.0, DeviceClass.Desktop)]
    public void Classify_DefaultThresholds_PhoneUnder7TabletUnder10(double inches, DeviceClass expected)
    {
        Assert.Equal(expected, DefaultDeviceProfileProvider.Classify(inches, new OfflineMediaOptions()));
    }

    [Fact]
    public void Classify_JustUnderEachThreshold_IsTheSmallerClass()
    {
        var options = new OfflineMediaOptions();

        Assert.Equal(DeviceClass.Phone, DefaultDeviceProfileProvider.Classify(Math.BitDecrement(7.0), options));
        Assert.Equal(DeviceClass.Tablet, DefaultDeviceProfileProvider.Classify(Math.BitDecrement(10.0), options));
    }

    [Fact]
    public void Classify_NoDisplay_IsDesktop()
    {
        Assert.Equal(DeviceClass.Desktop, DefaultDeviceProfileProvider.Classify(null, new OfflineMediaOptions()));
    }

    [Fact]
    public void GetProfile_NoDisplay_IsDesktopWithoutInches()
    {
        var profile = Provider(new FakeDisplayProbe()).GetProfile();

        Assert.Equal(DeviceClass.Desktop, profile.Class);
        Assert.Null(profile.ScreenInches);
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(1170, 2532, 0)]
    [InlineData(0, 2532, 460)]
    public void GetProfile_DisplayWithoutSize_CountsAsNoDisplay(int width, int height, double pixelsPerInch)
    {
        var profile = Provider(new FakeDisplayProbe(new DisplayInfo(width, height, pixelsPerInch))).GetProfile();

        Assert.Equal(DeviceClass.Desktop, profile.Class);
        Assert.Null(profile.ScreenInches);
    }

    [Fact]
    public void GetProfile_FakeDisplays_ClassifyAsTheirNames()
    {
        Assert.Equal(DeviceClass.Phone, Provider(new FakeDisplayProbe(FakeDisplayProbe.Phone)).GetProfile().Class);
        Assert.Equal(DeviceClass.Tablet, Provider(new FakeDisplayProbe(FakeDisplayProbe.Tablet)).GetProfile().Class);
        Assert.Equal(DeviceClass.Desktop, Provider(new FakeDisplayProbe(FakeDisplayProbe.Desktop)).GetProfile().Class);
    }

    [Fact]
    public void GetProfile_CustomThresholds_AreUsed()
    {
        var options = new OfflineMediaOptions { TabletMinScreenInches = 6, DesktopMinScreenInches = 8 };

        Assert.Equal(DeviceClass.Tablet, Provider(new FakeDisplayProbe(FakeDisplayProbe.Phone), options: options).GetProfile().Class);
        Assert.Equal(DeviceClass.Desktop, Provider(new FakeDisplayProbe(FakeDisplayProbe.Tablet), options: options).GetProfile().Class);
    }

    [Fact]
    public void GetProfile_StorageProbe_ReceivesTheCacheDirectoryFromOptions()
    {
        var cacheDirectory = Path.Combine(Path.GetTempPath(), "om-cache", "not-yet");
        var storage = Substitute.For<IStorageProbe>();
        storage.GetAvailableBytes(Arg.Any<string>()).Returns(3 * GiB);

        var profile = Provider(storage: storage, options: new OfflineMediaOptions { CacheDirectory = cacheDirectory }).GetProfile();

        storage.Received(1).GetAvailableBytes(cacheDirectory);
        Assert.Equal(3 * GiB, profile.AvailableStorageBytes);
    }

    [Fact]
    public void GetProfile_OptionsChange_IsReadOnEachCall()
    {
        var first = new OfflineMediaOptions { CacheDirectory = "/first" };
        var second = new OfflineMediaOptions { CacheDirectory = "/second", TabletMinScreenInches = 6 };
        var monitor = Substitute.For<IOptionsMonitor<OfflineMediaOptions>>();
        monitor.CurrentValue.Returns(first, second);
        var storage = Substitute.For<IStorageProbe>();
        var provider = new DefaultDeviceProfileProvider(new FakeDisplayProbe(FakeDisplayProbe.Phone), storage, new FakeConnectivityProbe(), monitor);

        var before = provider.GetProfile();
        var after = provider.GetProfile();

        Assert.Equal(DeviceClass.Phone, before.Class);
        Assert.Equal(DeviceClass.Tablet, after.Class);
        Received.InOrder(() =>
        {
            storage.GetAvailableBytes("/first");
            storage.GetAvailableBytes("/second");
        });
    }

    [Fact]
    public void GetProfile_NegativeStorageFromAProbe_IsClampedToZero()
    {
        var storage = Substitute.For<IStorageProbe>();
        storage.GetAvailableBytes(Arg.Any<string>()).Returns(-1);

        Assert.Equal(0, Provider(storage: storage).GetProfile().AvailableStorageBytes);
    }

    [Fact]
    public void GetProfile_Connectivity_IsTheProbesCurrentState()
    {
        var profile = Provider(connectivity: new FakeConnectivityProbe(FakeConnectivityProbe.Cellular)).GetProfile();

        Assert.Same(FakeConnectivityProbe.Cellular, profile.Connectivity);
    }

    [Fact]
    public void GetProfile_ProbesChange_EachCallReadsThemAgain()
    {
        var display = new FakeDisplayProbe(FakeDisplayProbe.Phone);
        var storage = new FakeStorageProbe(1 * GiB);
        var connectivity = new FakeConnectivityProbe(FakeConnectivityProbe.WiFi);
        var provider = Provider(display, storage, connectivity);

        var before = provider.GetProfile();
        display.Display = null;
        storage.AvailableBytes = 7 * GiB;
        connectivity.Set(FakeConnectivityProbe.Offline);
        var after = provider.GetProfile();

        Assert.Equal(new DeviceProfile(DeviceClass.Phone, FakeDisplayProbe.Phone.DiagonalInches, 1 * GiB, FakeConnectivityProbe.WiFi), before);
        Assert.Equal(new DeviceProfile(DeviceClass.Desktop, null, 7 * GiB, ConnectivityState.Offline), after);
    }

    private static DefaultDeviceProfileProvider Provider(
        IDisplayProbe? display = null,
        IStorageProbe? storage = null,
        IConnectivityProbe? connectivity = null,
        OfflineMediaOptions? options = null)
    {
        var monitor = Substitute.For<IOptionsMonitor<OfflineMediaOptions>>();
        monitor.CurrentValue.Returns(options ?? new OfflineMediaOptions());
        return new DefaultDeviceProfileProvider(
            display ?? new FakeDisplayProbe(),
            storage ?? new FakeStorageProbe(10 * GiB),
            connectivity ?? new FakeConnectivityProbe(),
            monitor);
    }
}
