using OfflineMedia.Profiles;

namespace OfflineMedia.Testing;

/// <summary>A storage probe whose free bytes a test sets.</summary>
public sealed class FakeStorageProbe : IStorageProbe
{
    private long _availableBytes;

    /// <summary>Initializes a new instance of the <see cref="FakeStorageProbe"/> class.</summary>
    /// <param name="availableBytes">The free bytes to report.</param>
    public FakeStorageProbe(long availableBytes) => AvailableBytes = availableBytes;

    /// <summary>Gets or sets the free bytes to report, whatever the path. Thread-safe.</summary>
    public long AvailableBytes
    {
        get => Interlocked.Read(ref _availableBytes);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Interlocked.Exchange(ref _availableBytes, value);
        }
    }

    /// <summary>Creates a probe that reports <paramref name="gigabytes"/> GiB free.</summary>
    /// <param name="gigabytes">The free space in GiB.</param>
    /// <returns>The probe.</returns>
    public static FakeStorageProbe WithGigabytes(double gigabytes) => new((long)(gigabytes * 1024 * 1024 * 1024));

    /// <inheritdoc />
    public long GetAvailableBytes(string path) => AvailableBytes;
}
