using System.Collections.Concurrent;
using OfflineMedia.Cache;
using OfflineMedia.Playback;
using OfflineMedia.Resolution;

namespace OfflineMedia.IntegrationTests.Playback;

/// <summary>
/// A stand-in for the SDK's read-through streams, for tests of what sits on top of them (the local media server): each
/// key is a real file in a folder, opened as a <see cref="MediaReadStream"/>; a test can make an open fail, a read fail
/// after some bytes, or a read wait until it lets go, and sees every stream opened and whether it was disposed.
/// </summary>
internal sealed class FileMediaStreams(string folder) : IMediaStreams
{
    private readonly ConcurrentQueue<FileMediaReadStream> _opened = new();

    public IReadOnlyCollection<FileMediaReadStream> Opened => _opened;

    /// <summary>Gets or sets what an open of a key throws; null opens it.</summary>
    public Func<MediaKey, Exception?> FailOpen { get; set; } = _ => null;

    /// <summary>Gets or sets after how many bytes a read throws an <see cref="IOException"/>, as the SDK's stream does offline at a byte not cached.</summary>
    public long? FailReadAfter { get; set; }

    /// <summary>Gets or sets a task every read waits for first (a stream whose bytes have not arrived yet).</summary>
    public Task ReadGate { get; set; } = Task.CompletedTask;

    public string PathOf(MediaKey key) => Path.Combine(folder, $"{key.ExerciseId}-{key.Variant}.bin");

    /// <summary>Writes a file of <paramref name="length"/> deterministic bytes for <paramref name="key"/>; returns them.</summary>
    public byte[] Add(MediaKey key, int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        File.WriteAllBytes(PathOf(key), bytes);
        return bytes;
    }

    public Task<MediaReadStream> OpenReadAsync(MediaKey key, MediaSource source, CancellationToken cancellationToken = default)
    {
        if (FailOpen(key) is { } failure)
        {
            throw failure;
        }

        var stream = new FileMediaReadStream(File.OpenRead(PathOf(key)), FailReadAfter, ReadGate);
        _opened.Enqueue(stream);
        return Task.FromResult<MediaReadStream>(stream);
    }

    public Task<MediaReadStream> OpenReadAsync(ResolvedMedia media, CancellationToken cancellationToken) =>
        OpenReadAsync(media.Key ?? throw new ArgumentException("No key.", nameof(media)), media.Download ?? new MediaSource("http://127.0.0.1/none"), cancellationToken);
}

/// <summary>A file as a <see cref="MediaReadStream"/>: all of it cached, <c>video/mp4</c>.</summary>
internal sealed class FileMediaReadStream(FileStream file, long? failReadAfter, Task readGate) : MediaReadStream
{
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override string? ContentType => "video/mp4";

    public override long CachedAtOpen => file.Length;

    public override long BytesReadFromNetwork => 0;

    public override long Length => file.Length;

    public override long Position
    {
        get => file.Position;
        set => file.Position = value;
    }

    /// <summary>Gets a task that completes when the stream is disposed.</summary>
    public Task Disposed => _disposed.Task;

    /// <summary>Gets how many bytes were read from it.</summary>
    public long BytesRead { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await readGate.WaitAsync(cancellationToken);
        if (failReadAfter is { } limit && BytesRead + buffer.Length > limit)
        {
            if (BytesRead >= limit)
            {
                throw new IOException("Offline: the next byte is not cached.");
            }

            buffer = buffer[..(int)(limit - BytesRead)];
        }

        var read = await file.ReadAsync(buffer, cancellationToken);
        BytesRead += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin) => file.Seek(offset, origin);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
            _disposed.TrySetResult();
        }

        base.Dispose(disposing);
    }
}
