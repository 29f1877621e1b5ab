using OfflineMedia.Sync.Internal;

namespace OfflineMedia.Tests.Sync;

public sealed class TransferSlotsTests
{
    [Fact]
    public async Task Release_CalledByTheBodyAndAgainWhenTheTryEnds_GivesTheSlotBackOnce()
    {
        using var slots = new TransferSlots(2);
        var lease = await slots.TakeAsync(CancellationToken.None);
        Assert.Equal(1, slots.Free);

        lease.Release();
        lease.Dispose();
        lease.Release();

        Assert.Equal(2, slots.Free);
    }

    [Fact]
    public async Task TakeAsync_AllTaken_WaitsUntilOneIsReleased()
    {
        using var slots = new TransferSlots(1);
        var first = await slots.TakeAsync(CancellationToken.None);

        var second = slots.TakeAsync(CancellationToken.None);
        Assert.False(second.IsCompleted);
        first.Release();

        using var lease = await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, slots.Free);
    }

    [Fact]
    public async Task TakeAsync_Canceled_Throws()
    {
        using var slots = new TransferSlots(1);
        using var held = await slots.TakeAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = slots.TakeAsync(cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
