namespace OfflineMedia.Variants;

/// <summary>One variant of an exercise's image or video, as the media API lists it.</summary>
public sealed class MediaVariant
{
    /// <summary>Initializes a new instance of the <see cref="MediaVariant"/> class.</summary>
    /// <param name="name">The variant name, for example <c>medium</c> or <c>720p</c>.</param>
    /// <param name="url">The URL, absolute or relative to the API base address.</param>
    /// <param name="bytes">The size the server gives, if any.</param>
    /// <param name="sha256">The SHA-256 digest the server gives, as hex, if any.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="url"/> is empty, or <paramref name="bytes"/> is negative.</exception>
    public MediaVariant(string name, string url, long? bytes = null, string? sha256 = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        if (bytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "A variant's size cannot be negative.");
        }

        Name = name;
        Url = url;
        Bytes = bytes;
        Sha256 = string.IsNullOrEmpty(sha256) ? null : sha256.ToLowerInvariant();
    }

    /// <summary>Gets the variant name.</summary>
    public string Name { get; }

    /// <summary>Gets the URL, absolute or relative to the API base address.</summary>
    public string Url { get; }

    /// <summary>Gets the size in bytes the server gives, or <see langword="null"/>.</summary>
    public long? Bytes { get; }

    /// <summary>Gets the lowercase hex SHA-256 digest the server gives, or <see langword="null"/>.</summary>
    public string? Sha256 { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
