using System.IO.Abstractions;
using OfflineMedia.Cache;

namespace OfflineMedia.Playback.Internal;

/// <summary>
/// A stream of one file read through the cache. Its bytes come from the file on disk: the committed media file, or the
/// partial file its one download (this process's, or another's) is writing, read at each position as soon as that
/// position is written. A read past what is on disk waits for the download (polling the file: its writer may be another
/// process), unless it is far ahead (a seek), where a ranged request from that position serves it until the download
/// catches up. The download runs on its own, at the network's pace: a paused reader holds nothing up.
/// </summary>
internal sealed class ReadThroughStream : MediaReadStream
{
    /// <summary>How far past the bytes on disk a read goes to the network at once rather than waiting for the download.</summary>
    internal const long AheadOfTheDownload = 256 * 1024;

    private static readonly TimeSpan s_firstPause = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan s_longestPause = TimeSpan.FromMilliseconds(16);

    private readonly IFileSystem _fileSystem;
    private readonly ReadThroughFeed? _feed;
    private readonly ReadThroughRanges? _ranges;
    private readonly Func<Task> _nextWrite;
    private readonly string _partialPath;
    private readonly string? _etag;
    private FileSystemStream? _file;
    private bool _complete;
    private long _position;
    private long _fromNetwork;
    private bool _disposed;

    /// <param name="fileSystem">The cache's file system.</param>
    /// <param name="length">The file's length, from its first response (or the cache's row).</param>
    /// <param name="contentType">The file's content type.</param>
    /// <param name="etag">The validator the bytes on disk belong to, which every later byte must match.</param>
    /// <param name="partialPath">The partial file of the download, read while it is written.</param>
    /// <param name="committedPath">The media file, when it is cached whole already.</param>
    /// <param name="cachedAtOpen">The bytes on disk when the stream opened.</param>
    /// <param name="feed">The download that fills the file, or <see langword="null"/> when offline or cached whole.</param>
    /// <param name="ranges">Ranged requests, for reads far past the bytes on disk; none for a file cached whole.</param>
    /// <param name="nextWrite">A task completing at the next write to the file by this process.</param>
    public ReadThroughStream(
        IFileSystem fileSystem,
        long length,
        string? contentType,
        string? etag,
        string partialPath,
        string? committedPath,
        long cachedAtOpen,
        ReadThroughFeed? feed,
        ReadThroughRanges? ranges,
        Func<Task> nextWrite)
    {
        _nextWrite = nextWrite;
        _fileSystem = fileSystem;
        Length = length;
        ContentType = contentType;
        _etag = etag;
        _partialPath = partialPath;
        CachedAtOpen = cachedAtOpen;
        _feed = feed;
        _ranges = ranges;
        if (committedPath is not null)
        {
            _file = OpenShared(committedPath);
            _complete = true;
        }
    }

    public override long Length { get; }

    public override string? ContentType { get; }

    public override long CachedAtOpen { get; }

    public override long BytesReadFromNetwork => Interlocked.Read(ref _fromNetwork);

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        _position = target;
        return target;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_position >= Length || buffer.IsEmpty)
        {
            return 0;
        }

        var wanted = (int)Math.Min(buffer.Length, Length - _position);
        var pause = s_firstPause;
        while (true)
        {
            var onDisk = OnDisk();
            if (_position < onDisk)
            {
                _ranges?.Close(); // The download caught up: the cache serves the rest.
                var read = ReadFile(buffer.Span[..(int)Math.Min(wanted, onDisk - _position)]);
                _position += read;
                return read;
            }

            if (_feed is not null && _ranges is not null && _position - onDisk >= AheadOfTheDownload)
            {
                var read = await _ranges.ReadAsync(_position, Length, _etag, buffer[..wanted], cancellationToken).ConfigureAwait(false);
                _position += read;
                Interlocked.Add(ref _fromNetwork, read);
                return read;
            }

            if (await WaitForTheDownloadAsync(onDisk, pause, cancellationToken).ConfigureAwait(false))
            {
                pause = s_firstPause;
            }
            else
            {
                pause = pause < s_longestPause ? pause * 2 : s_longestPause;
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ = CloseOnce();
        }

        base.Dispose(disposing);
    }

    /// <remarks>
    /// When the whole file was on disk, waits for its download to commit it (a matter of milliseconds), so a file read to
    /// its end is in the cache once the stream is disposed.
    /// </remarks>
    public override async ValueTask DisposeAsync()
    {
        await CloseOnce().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Closes the stream once; returns the download's end when the stream lets it finish, else a completed task.</summary>
    private Task CloseOnce()
    {
        if (_disposed)
        {
            return Task.CompletedTask;
        }

        _disposed = true;
        _ranges?.Dispose();

        // The download goes on if a sync (or another stream) still wants it, or if its whole body is on disk.
        var letFinish = !_complete && OnDiskQuietly() >= Length;
        var ended = _feed?.Leave(letFinish) ?? Task.CompletedTask;
        _file?.Dispose();
        return letFinish ? ended : Task.CompletedTask;
    }

    private static long LengthOf(FileSystemStream file) => file.Length;

    private long OnDiskQuietly()
    {
        try
        {
            return OnDisk();
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>How many bytes from the start are on disk: all of them once committed, else the partial file's length.</summary>
    private long OnDisk()
    {
        if (_complete)
        {
            return Length;
        }

        if (_file is null)
        {
            if (!_fileSystem.File.Exists(_partialPath))
            {
                return 0;
            }

            try
            {
                _file = OpenShared(_partialPath);
            }
            catch (FileNotFoundException)
            {
                return 0; // Committed (moved) or restarted (deleted) just now: the feed tells which.
            }
        }

        return Math.Min(LengthOf(_file), Length);
    }

    /// <summary>
    /// Waits a moment for the bytes at the position: returns whether more are on disk. When the download ended, moves to the
    /// committed file, or throws why the bytes will not come (offline, refused, changed on the server).
    /// </summary>
    private async ValueTask<bool> WaitForTheDownloadAsync(long onDisk, TimeSpan pause, CancellationToken cancellationToken)
    {
        if (_feed is null)
        {
            throw new IOException($"Only {onDisk} of the {Length} bytes are cached, and the network is not available to download the rest: the stream ends at byte {onDisk}.");
        }

        var written = _nextWrite();
        if (OnDisk() > onDisk)
        {
            return true; // Written between the look and taking the signal.
        }

        if (await _feed.EndedAsync(written, pause, cancellationToken).ConfigureAwait(false) is { } committed)
        {
            if (committed.Bytes != Length || (_etag is not null && committed.ETag is not null && committed.ETag != _etag))
            {
                throw new IOException($"{committed.Key} changed on its server while it played ({Length} bytes then, {committed.Bytes} now); open it again to play the new file.");
            }

            _file?.Dispose();
            _file = OpenShared(committed.LocalPath);
            _complete = true;
            return true;
        }

        return OnDisk() > onDisk;
    }

    /// <summary>
    /// Reads bytes already on disk (in the OS's page cache, usually): synchronously, since a read that cannot wait costs
    /// less in place than a hop to the thread pool, which halved the rate of a stream following its download.
    /// </summary>
    private int ReadFile(Span<byte> buffer)
    {
        var file = _file!;
        file.Position = _position;
        var read = file.Read(buffer);
        if (read == 0)
        {
            throw new IOException($"The cached file ended at byte {_position} of {Length}.");
        }

        return read;
    }

    /// <summary>Opens a file to read while another handle may write, move or delete it.</summary>
    private FileSystemStream OpenShared(string path) =>
        _fileSystem.FileStream.New(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
}
