using System.Collections.Concurrent;
using System.IO.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>
/// The real file system, with four test hooks: a disk that fills up (file stream writes beyond
/// <see cref="WritableBytes"/> throw <c>IOException("No space left on device", 28)</c>, ENOSPC, as Linux
/// reports it), a record of every path the cache writes, moves, deletes or opens, a callback that runs
/// when the cache looks a file up, to force an interleaving deterministically, and a record of (and a
/// callback before) every flush to disk.
/// </summary>
public sealed class TestFileSystem : FileSystem
{
    /// <summary>The HResult .NET gives an <see cref="IOException"/> for ENOSPC on Unix.</summary>
    public const int DiskFullHResult = 28;

    private readonly ConcurrentQueue<string> _touched = new();
    private readonly ConcurrentQueue<string> _flushedToDisk = new();
    private readonly RecordingFile _file;
    private readonly RecordingDirectory _directory;
    private readonly LimitedFileStreamFactory _streams;
    private readonly HookedFileInfoFactory _fileInfo;
    private long _written;
    private long _writable = long.MaxValue;

    public TestFileSystem()
    {
        _file = new RecordingFile(this);
        _directory = new RecordingDirectory(this);
        _streams = new LimitedFileStreamFactory(this, base.FileStream);
        _fileInfo = new HookedFileInfoFactory(this, base.FileInfo);
    }

    public override IFile File => _file;

    public override IDirectory Directory => _directory;

    public override IFileStreamFactory FileStream => _streams;

    public override IFileInfoFactory FileInfo => _fileInfo;

    /// <summary>Gets or sets how many more bytes file streams may write before the "disk" is full; <see langword="null"/> for no limit.</summary>
    public long? WritableBytes
    {
        get => Interlocked.Read(ref _writable) is var value && value == long.MaxValue ? null : value - Interlocked.Read(ref _written);
        set
        {
            Interlocked.Exchange(ref _written, 0);
            Interlocked.Exchange(ref _writable, value ?? long.MaxValue);
        }
    }

    /// <summary>Gets every path the cache wrote, moved, deleted, created or opened through this file system.</summary>
    public IReadOnlyList<string> TouchedPaths => [.. _touched];

    /// <summary>Gets the bytes written through file streams so far (those refused by a full disk included).</summary>
    public long BytesWritten => Interlocked.Read(ref _written);

    /// <summary>Gets or sets a callback run with the path whenever the cache creates a <see cref="IFileInfo"/>.</summary>
    public Action<string>? OnFileInfo { get; set; }

    /// <summary>Gets every path a file stream flushed to disk, in order.</summary>
    public IReadOnlyList<string> FlushedToDisk => [.. _flushedToDisk];

    /// <summary>Gets or sets a callback run with the path before a file stream flushes to disk: it can hold the flush, or fail it.</summary>
    public Action<string>? OnFlushToDisk { get; set; }

    private void Touch(string? path)
    {
        if (path is not null)
        {
            _touched.Enqueue(System.IO.Path.GetFullPath(path));
        }
    }

    private void Consume(int count)
    {
        if (Interlocked.Add(ref _written, count) > Interlocked.Read(ref _writable))
        {
            throw new IOException("No space left on device", DiskFullHResult);
        }
    }

    private sealed class RecordingFile(TestFileSystem fileSystem) : FileWrapper(fileSystem)
    {
        public override void Copy(string sourceFileName, string destFileName)
        {
            fileSystem.Touch(destFileName);
            base.Copy(sourceFileName, destFileName);
        }

        public override void Copy(string sourceFileName, string destFileName, bool overwrite)
        {
            fileSystem.Touch(destFileName);
            base.Copy(sourceFileName, destFileName, overwrite);
        }

        public override void Delete(string path)
        {
            fileSystem.Touch(path);
            base.Delete(path);
        }

        public override void Move(string sourceFileName, string destFileName)
        {
            fileSystem.Touch(sourceFileName);
            fileSystem.Touch(destFileName);
            base.Move(sourceFileName, destFileName);
        }

        public override void Move(string sourceFileName, string destFileName, bool overwrite)
        {
            fileSystem.Touch(sourceFileName);
            fileSystem.Touch(destFileName);
            base.Move(sourceFileName, destFileName, overwrite);
        }

        public override void WriteAllText(string path, string? contents)
        {
            fileSystem.Touch(path);
            base.WriteAllText(path, contents);
        }

        public override void WriteAllBytes(string path, byte[] bytes)
        {
            fileSystem.Touch(path);
            base.WriteAllBytes(path, bytes);
        }
    }

    private sealed class RecordingDirectory(TestFileSystem fileSystem) : DirectoryWrapper(fileSystem)
    {
        public override IDirectoryInfo CreateDirectory(string path)
        {
            fileSystem.Touch(path);
            return base.CreateDirectory(path);
        }

        public override void Delete(string path)
        {
            fileSystem.Touch(path);
            base.Delete(path);
        }

        public override void Delete(string path, bool recursive)
        {
            fileSystem.Touch(path);
            base.Delete(path, recursive);
        }
    }

    private sealed class HookedFileInfoFactory(TestFileSystem fileSystem, IFileInfoFactory inner) : IFileInfoFactory
    {
        public IFileSystem FileSystem => fileSystem;

        public IFileInfo New(string fileName)
        {
            fileSystem.OnFileInfo?.Invoke(fileName);
            return inner.New(fileName);
        }

        public IFileInfo? Wrap(FileInfo? fileInfo) => inner.Wrap(fileInfo);
    }

    private sealed class LimitedFileStreamFactory(TestFileSystem fileSystem, IFileStreamFactory inner) : IFileStreamFactory
    {
        public IFileSystem FileSystem => fileSystem;

        public FileSystemStream New(SafeFileHandle handle, FileAccess access) => Limit(inner.New(handle, access), null);

        public FileSystemStream New(SafeFileHandle handle, FileAccess access, int bufferSize) => Limit(inner.New(handle, access, bufferSize), null);

        public FileSystemStream New(SafeFileHandle handle, FileAccess access, int bufferSize, bool isAsync) => Limit(inner.New(handle, access, bufferSize, isAsync), null);

        public FileSystemStream New(string path, FileMode mode) => Limit(inner.New(path, mode), path);

        public FileSystemStream New(string path, FileMode mode, FileAccess access) => Limit(inner.New(path, mode, access), path);

        public FileSystemStream New(string path, FileMode mode, FileAccess access, FileShare share) => Limit(inner.New(path, mode, access, share), path);

        public FileSystemStream New(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize)
            => Limit(inner.New(path, mode, access, share, bufferSize), path);

        public FileSystemStream New(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize, bool useAsync)
            => Limit(inner.New(path, mode, access, share, bufferSize, useAsync), path);

        public FileSystemStream New(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize, FileOptions options)
            => Limit(inner.New(path, mode, access, share, bufferSize, options), path);

        public FileSystemStream New(string path, FileStreamOptions options) => Limit(inner.New(path, options), path);

        public FileSystemStream Wrap(FileStream fileStream) => Limit(inner.Wrap(fileStream), fileStream.Name);

        /// <remarks>
        /// The live file a cache instance writes its process id into when it opens is left out of the budget: the tests
        /// count the bytes of media and partial files.
        /// </remarks>
        private FileSystemStream Limit(FileSystemStream stream, string? path)
        {
            fileSystem.Touch(path);
            return path?.EndsWith(".live", StringComparison.Ordinal) == true ? stream : new LimitedStream(stream, path, fileSystem);
        }
    }

    /// <summary>A real file stream whose writes count against the shared budget of the "disk".</summary>
    private sealed class LimitedStream(FileSystemStream inner, string? path, TestFileSystem fileSystem) : FileSystemStream(inner, path ?? inner.Name, inner.IsAsync)
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            fileSystem.Consume(count);
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            fileSystem.Consume(buffer.Length);
            base.Write(buffer);
        }

        public override void Flush(bool flushToDisk)
        {
            if (flushToDisk)
            {
                fileSystem.OnFlushToDisk?.Invoke(Name);
                fileSystem._flushedToDisk.Enqueue(Name);
            }

            base.Flush(flushToDisk);
        }

        public override void WriteByte(byte value)
        {
            fileSystem.Consume(1);
            base.WriteByte(value);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            fileSystem.Consume(count);
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            fileSystem.Consume(buffer.Length);
            return base.WriteAsync(buffer, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
