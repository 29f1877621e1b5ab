using OfflineMedia.Variants;

namespace OfflineMedia.Cache;

/// <summary>Where and how to download a media file, and what to verify it against.</summary>
public sealed class MediaSource
{
    /// <summary>Initializes a new instance of the <see cref="MediaSource"/> class.</summary>
    /// <param name="url">The URL, absolute or relative to <see cref="OfflineMediaOptions.ApiBaseAddress"/>.</param>
    /// <param name="expectedBytes">The size the catalog gives; a body of another size is refused.</param>
    /// <param name="sha256">The SHA-256 digest the catalog gives, as hex; a body with another digest is refused.</param>
    /// <exception cref="ArgumentException"><paramref name="url"/> is empty or <paramref name="expectedBytes"/> is negative.</exception>
    public MediaSource(string url, long? expectedBytes = null, string? sha256 = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        if (expectedBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedBytes), expectedBytes, "The expected size cannot be negative.");
        }

        Url = url;
        ExpectedBytes = expectedBytes;
        Sha256 = string.IsNullOrEmpty(sha256) ? null : sha256.ToLowerInvariant();
    }

    /// <summary>Gets the URL, absolute or relative to the API base address.</summary>
    public string Url { get; }

    /// <summary>Gets the size the catalog gives, or <see langword="null"/>.</summary>
    public long? ExpectedBytes { get; }

    /// <summary>Gets the lowercase hex SHA-256 digest the catalog gives, or <see langword="null"/>.</summary>
    public string? Sha256 { get; }

    /// <summary>Gets or sets the most bytes accepted; a larger body is refused.</summary>
    /// <value>The default, <see langword="null"/>, applies <see cref="OfflineMediaOptions.MaxImageBytes"/> or <see cref="OfflineMediaOptions.MaxVideoBytes"/>.</value>
    public long? MaxBytes { get; init; }

    /// <summary>Creates a source from a variant the media API lists.</summary>
    /// <param name="variant">The variant.</param>
    /// <returns>A source carrying the variant's URL, size and digest.</returns>
    public static MediaSource From(MediaVariant variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        return new MediaSource(variant.Url, variant.Bytes, variant.Sha256);
    }
}
