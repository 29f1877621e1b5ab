using OfflineMedia.Variants;

namespace OfflineMedia.Cache.Internal;

/// <summary>One download the cache asks of <see cref="MediaDownloader"/>.</summary>
internal sealed record DownloadRequest(
    MediaKey Key,
    Uri Url,
    string PartialPath,
    long MaxBytes,
    long? ExpectedBytes,
    string? Sha256,
    IProgress<long>? Progress,
    Func<long, CancellationToken, ValueTask> EnsureRoom,
    IPartialDownloadStore Partials,
    TimeSpan StallTimeout)
{
    /// <summary>Gets the validators of the cached copy, sent as <c>If-None-Match</c>/<c>If-Modified-Since</c> to revalidate it.</summary>
    public (string? ETag, DateTimeOffset? LastModified)? Conditional { get; init; }

    /// <summary>Gets the slowest rate a body may arrive at, measured over windows of <see cref="StallTimeout"/>; 0 for no minimum.</summary>
    public long MinimumBytesPerSecond { get; init; }

    /// <summary>Gets what to call once the body is in, before the file is moved into place and indexed; passed through from the cache's caller.</summary>
    public Action? BodyReceived { get; init; }

    /// <summary>Gets what to call each time more of the body is on disk, and when its length is known: readers of the file wait for it.</summary>
    public Action? Written { get; init; }

    public MediaKind Kind => Key.Kind;
}
