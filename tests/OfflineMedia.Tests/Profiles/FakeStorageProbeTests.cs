using OfflineMedia.Testing;

namespace OfflineMedia.Tests.Profiles;

public sealed class FakeStorageProbeTests
{
    [Fact]
    public void WithGigabytes_Whole_IsExactGibibytes()
    {
        Assert.Equal(2L * 1024 * 1024 * 1024, FakeStorageProbe.WithGigabytes(2).GetAvailableBytes("/any"));
        Assert.Equal(5L * 1024 * 1024 * 1024, FakeStorageProbe.WithGigabytes(5).AvailableBytes);
    }

    [Fact]
    public void AvailableBytes_Set_IsReportedForAnyPath()
    {
        var probe = new FakeStorageProbe(1) { AvailableBytes = 42 };

        Assert.Equal(42, probe.GetAvailableBytes("/a"));
        Assert.Equal(42, probe.GetAvailableBytes("/b"));
    }

    [Fact]
    public void AvailableBytes_Negative_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FakeStorageProbe(-1));
    }
}
