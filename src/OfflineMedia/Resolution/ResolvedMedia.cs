using OfflineMedia.Variants;

namespace OfflineMedia.Resolution;

/// <summary>What an exercise's image, video or poster resolves to at display time.</summary>
public sealed record ResolvedMedia
{
    /// <summary>Gets the exercise id.</summary>
    public required string ExerciseId { get; init; }

    /// <summary>Gets the kind asked for.</summary>
    public required MediaKind Kind { get; init; }

    /// <summary>Gets where the media comes from.</summary>
    public required MediaSourceKind Source { get; init; }

    /// <summary>Gets the variant resolved to, or <see langword="null"/> when unavailable.</summary>
    public string? Variant { get; init; }

    /// <summary>Gets the absolute path of the cached file, for <see cref="MediaSourceKind.Local"/>.</summary>
    public string? LocalPath { get; init; }

    /// <summary>Gets the absolute URL to stream, for <see cref="MediaSourceKind.Remote"/>.</summary>
    public Uri? RemoteUrl { get; init; }

    /// <summary>
    /// Gets the key the file is cached under, when it is available (cached, or remote and allowed to be cached as it
    /// plays); <see cref="OfflineMedia.Playback.IMediaStreams"/> and <see cref="OfflineMedia.Playback.ILocalMediaServer"/> read through the cache with it.
    /// </summary>
    public OfflineMedia.Cache.MediaKey? Key { get; init; }

    /// <summary>
    /// Gets where to download the file from while it plays, for <see cref="MediaSourceKind.Remote"/>: reading it through
    /// the cache (<see cref="OfflineMedia.Playback.IMediaStreams"/>) instead of streaming <see cref="RemoteUrl"/> leaves it cached.
    /// </summary>
    public OfflineMedia.Cache.MediaSource? Download { get; init; }

    /// <summary>Gets why the media is unavailable, in words an app can show; <see langword="null"/> otherwise.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets a value indicating whether there is something to show.</summary>
    public bool IsAvailable => Source != MediaSourceKind.Unavailable;
}
