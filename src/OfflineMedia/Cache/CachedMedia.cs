namespace OfflineMedia.Cache;

/// <summary>A complete, verified file in the cache.</summary>
public sealed record CachedMedia
{
    /// <summary>Gets the key of the file.</summary>
    public required MediaKey Key { get; init; }

    /// <summary>Gets the absolute path of the file, under the cache folder.</summary>
    public required string LocalPath { get; init; }

    /// <summary>
    /// Gets the URL the file was downloaded from, without its query, fragment or user info: a signed URL's signature and
    /// token, and any password, are not kept. It is for display and diagnostics, not for fetching the file again; take a
    /// fresh URL from the media API for that.
    /// </summary>
    public required string SourceUrl { get; init; }

    /// <summary>Gets the size of the file in bytes.</summary>
    public required long Bytes { get; init; }

    /// <summary>Gets the content type the server sent, or <see langword="null"/>.</summary>
    public string? ContentType { get; init; }

    /// <summary>Gets the entity tag the server sent, used to revalidate, or <see langword="null"/>.</summary>
    public string? ETag { get; init; }

    /// <summary>Gets the last modification time the server sent, or <see langword="null"/>.</summary>
    public DateTimeOffset? LastModified { get; init; }

    /// <summary>
    /// Gets the lowercase hex SHA-256 digest the file was verified against, or <see langword="null"/> when the source
    /// gave none (<see cref="MediaSource.Sha256"/>): such a file was checked by its length only, since hashing every
    /// byte of it would cost the download CPU time for a digest nothing checks.
    /// </summary>
    public string? Sha256 { get; init; }

    /// <summary>Gets when the file was downloaded or last revalidated.</summary>
    public required DateTimeOffset CachedAt { get; init; }

    /// <summary>
    /// Gets until when the server said the file stays fresh (its <c>Cache-Control: max-age</c>, or <c>Expires</c>, when
    /// it was downloaded or last revalidated; <c>no-cache</c> makes it stale at once), or <see langword="null"/> when the
    /// server said nothing and <see cref="OfflineMediaOptions.ResyncInterval"/> decides. A sync revalidates a file once it
    /// is stale, and never asks about it while it is fresh.
    /// </summary>
    public DateTimeOffset? FreshUntil { get; init; }

    /// <summary>Gets when the file was last used.</summary>
    public required DateTimeOffset LastAccessedAt { get; init; }

    /// <summary>Gets the latest time until which the file is pinned, or <see langword="null"/> when it is not.</summary>
    public DateTimeOffset? PinnedUntil { get; init; }
}
