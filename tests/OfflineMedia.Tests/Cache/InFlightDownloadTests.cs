using OfflineMedia.Cache.Internal;

namespace OfflineMedia.Tests.Cache;

public sealed class InFlightDownloadTests
{
    [Fact]
    public async Task Slots_AreTakenAndGivenBackForTheCallersWaitingThen()
    {
        var flight = new InFlightDownload();
        var listening = new RecordingCaller();
        var plain = new Progress<long>();
        var left = new RecordingCaller();
        Assert.True(flight.TryJoin(listening, listening));
        Assert.True(flight.TryJoin(plain));
        Assert.True(flight.TryJoin(left, left));
        flight.Leave(left, left);

        await flight.TakeAsync(CancellationToken.None);
        flight.Report(42);
        flight.Release();

        Assert.Equal([42L], listening.Reports);
        Assert.Equal((1, 1), (listening.Taken, listening.Released));
        Assert.Equal((0, 0), (left.Taken, left.Released));
    }

    [Fact]
    public async Task Slots_ACallerWithoutProgress_StillHasItsSlotTaken()
    {
        var flight = new InFlightDownload();
        var slot = new RecordingCaller();
        Assert.True(flight.TryJoin(progress: null, slot));

        await flight.TakeAsync(CancellationToken.None);
        flight.Release();

        Assert.Equal((1, 1), (slot.Taken, slot.Released));
        Assert.Empty(slot.Reports);
    }

    private sealed class RecordingCaller : IProgress<long>, ITransferSlot
    {
        public List<long> Reports { get; } = [];

        public int Taken { get; private set; }

        public int Released { get; private set; }

        public void Report(long value) => Reports.Add(value);

        public ValueTask TakeAsync(CancellationToken cancellationToken)
        {
            Taken++;
            return ValueTask.CompletedTask;
        }

        public void Release() => Released++;
    }
}
