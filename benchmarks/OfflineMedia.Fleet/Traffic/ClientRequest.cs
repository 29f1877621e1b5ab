using OfflineMedia.Fleet.Devices;

namespace OfflineMedia.Fleet.Traffic;

/// <summary>One request a device sent, as its HTTP client saw it.</summary>
/// <param name="At">When it was sent, by the device's clock.</param>
/// <param name="IsMedia">Whether it asked for a media file (under <c>/media/</c>), rather than the API.</param>
/// <param name="Sync">The sync that sent it.</param>
internal sealed record ClientRequest(DateTimeOffset At, bool IsMedia, SyncTag? Sync)
{
    private long _bytes;

    /// <summary>Gets or sets the status answered (0 when no answer came).</summary>
    public int Status { get; set; }

    /// <summary>Gets the body bytes the device read.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public void AddBytes(long count) => Interlocked.Add(ref _bytes, count);
}
