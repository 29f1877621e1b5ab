namespace OfflineMedia.Playback;

/// <summary>A seekable, read-only stream of a media file that reads through the cache (see <see cref="IMediaStreams"/>).</summary>
public abstract class MediaReadStream : Stream
{
    /// <summary>Gets the file's content type, as its server sent it (or as the cache kept it), or <see langword="null"/>.</summary>
    public abstract string? ContentType { get; }

    /// <summary>Gets how many bytes of the file were on disk when the stream opened: all of them for a cached file, none for one never downloaded.</summary>
    public abstract long CachedAtOpen { get; }

    /// <summary>Gets how many bytes were read from a ranged request (after a seek past the bytes on disk), not from the cache.</summary>
    public abstract long BytesReadFromNetwork { get; }

    /// <inheritdoc/>
    public sealed override bool CanRead => true;

    /// <inheritdoc/>
    public sealed override bool CanSeek => true;

    /// <inheritdoc/>
    public sealed override bool CanWrite => false;

    /// <inheritdoc/>
    public sealed override void Flush()
    {
    }

    /// <inheritdoc/>
    public sealed override void SetLength(long value) => throw new NotSupportedException("A media stream is read-only.");

    /// <inheritdoc/>
    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A media stream is read-only.");
}
