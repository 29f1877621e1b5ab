using OfflineMedia.Cache.Internal;

namespace OfflineMedia.Tests.Cache;

public sealed class InFlightDownloadTests
{
    [Fact]
    public void BodyReceived_IsPassedToTheCallersThatListenForIt()
    {
        var flight = new InFlightDownload();
        var listening = new RecordingProgress();
        var plain = new Progress<long>();
        var left = new RecordingProgress();
        Assert.True(flight.TryJoin(listening, listening.BodyReceived));
        Assert.True(flight.TryJoin(plain));
        Assert.True(flight.TryJoin(left, left.BodyReceived));
        flight.Leave(left, left.BodyReceived);

        flight.Report(42);
        flight.BodyReceived();

        Assert.Equal([42L], listening.Reports);
        Assert.Equal(1, listening.BodiesReceived);
        Assert.Equal(0, left.BodiesReceived);
    }

    [Fact]
    public void BodyReceived_ACallerWithoutProgress_StillHearsIt()
    {
        var flight = new InFlightDownload();
        var heard = 0;
        Assert.True(flight.TryJoin(progress: null, () => heard++));

        flight.BodyReceived();

        Assert.Equal(1, heard);
    }

    private sealed class RecordingProgress : IProgress<long>
    {
        public List<long> Reports { get; } = [];

        public int BodiesReceived { get; private set; }

        public void Report(long value) => Reports.Add(value);

        public void BodyReceived() => BodiesReceived++;
    }
}
