using System.IO.Abstractions;
using System.IO.Hashing;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using OfflineMedia.Diagnostics;

namespace OfflineMedia.Cache.Internal;

/// <summary>
/// The partial file one download attempt writes into: opened without following a link, continued after what an
/// earlier attempt wrote, written unbuffered, flushed when the attempt ends so the next can resume, or deleted when
/// the body is refused.
/// </summary>
internal sealed class PartialFileWriter : IDisposable
{
    /// <summary>How long a body may take before its resume record, if not written yet, is written.</summary>
    public static readonly TimeSpan RecordAfter = TimeSpan.FromMilliseconds(100);

    private readonly FileSystemStream _file;
    private readonly IFileSystem _fileSystem;
    private readonly DownloadRequest _request;
    private readonly ILogger _logger;
    private readonly long _opened = TimeProvider.System.GetTimestamp();
    private PartialDownload? _unrecorded;

    private PartialFileWriter(FileSystemStream file, IFileSystem fileSystem, DownloadRequest request, ILogger logger, PartialDownload? unrecorded)
    {
        _file = file;
        _fileSystem = fileSystem;
        _request = request;
        _logger = logger;
        _unrecorded = unrecorded;
    }

    /// <summary>
    /// Opens the request's partial file: to continue it when <paramref name="offset"/> is over 0, else anew. A body whose
    /// resume record is <paramref name="unrecorded"/> yet gets it only if its attempt ends early or takes long.
    /// </summary>
    public static PartialFileWriter Open(IFileSystem fileSystem, DownloadRequest request, long offset, ILogger logger, PartialDownload? unrecorded = null)
    {
        // A new file is created as new, not truncated: on Linux, truncating (which FileMode.Create does, after taking its
        // lock) makes ext4 write the file's blocks out when it is closed, a cost per file that a small file notices.
        var mode = offset > 0 ? FileMode.Open : FileMode.CreateNew;
        try
        {
            CachePaths.RemoveLinkBeforeWrite(fileSystem, request.PartialPath); // Never writes through a link planted in tmp/.
            FileSystemStream file;
            try
            {
                file = New(fileSystem, request.PartialPath, mode);
            }
            catch (DirectoryNotFoundException) when (mode == FileMode.CreateNew)
            {
                // tmp/ is made on open; made again if it was removed since.
                fileSystem.Directory.CreateDirectory(fileSystem.Path.GetDirectoryName(request.PartialPath)!);
                CachePaths.RemoveLinkBeforeWrite(fileSystem, request.PartialPath);
                file = New(fileSystem, request.PartialPath, mode);
            }
            catch (IOException) when (mode == FileMode.CreateNew && fileSystem.File.Exists(request.PartialPath))
            {
                file = New(fileSystem, request.PartialPath, FileMode.Create); // A partial file without a record to resume it by.
            }

            return new PartialFileWriter(file, fileSystem, request, logger, unrecorded);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw StorageFailure(request, ex);
        }
    }

    /// <summary>Writes the resume record now, if it is not written yet: the attempt will not end whole, or not soon.</summary>
    public void RecordForResume()
    {
        if (_unrecorded is { } record)
        {
            _unrecorded = null;
            try
            {
                _request.Partials.Save(_request.PartialPath, record);
            }
            catch (ObjectDisposedException)
            {
                // The cache closed meanwhile: without the record the next attempt starts over.
            }
        }
    }

    /// <summary>After a chunk: writes the resume record of a body that has taken longer than <see cref="RecordAfter"/>.</summary>
    public void RecordForResumeIfLong()
    {
        if (_unrecorded is not null && TimeProvider.System.GetElapsedTime(_opened) > RecordAfter)
        {
            RecordForResume();
        }
    }

    /// <summary>Deletes a partial file and, when <paramref name="forget"/>, what is known of it.</summary>
    public static void Delete(IFileSystem fileSystem, DownloadRequest request, bool forget = true)
    {
        if (fileSystem.Directory.Exists(fileSystem.Path.GetDirectoryName(request.PartialPath)))
        {
            fileSystem.File.Delete(request.PartialPath);
        }

        if (forget)
        {
            request.Partials.Remove(request.PartialPath);
        }
    }

    /// <summary>Moves past the <paramref name="offset"/> bytes an earlier attempt wrote, hashing them into both hashes.</summary>
    public async ValueTask SkipWrittenAsync(long offset, IncrementalHash? hash, XxHash128 content, byte[] buffer, CancellationToken cancellationToken)
    {
        // The hashes cover the whole file: hash what the earlier attempt wrote (the content hash is fast enough to read
        // it back rather than keep its state), then append.
        int read;
        while (offset > 0 && (read = await _file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash?.AppendData(buffer, 0, read);
            content.Append(buffer.AsSpan(0, read));
        }
    }

    /// <summary>Appends <paramref name="data"/>; a failed write deletes the partial file.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            await _file.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            DeleteAfterFailure();
            throw StorageFailure(_request, ex);
        }
    }

    /// <summary>An attempt ends with its bytes kept for the next to resume: they reach the file, and the progress says how far it got.</summary>
    public async ValueTask EndAttemptAsync(long received)
    {
        try
        {
            await _file.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The resume check measures what reached the disk; a lost tail only costs re-downloading it.
        }

        RecordForResume();
        _request.Progress?.Report(received);
    }

    /// <summary>Closes and deletes the partial file of a body that was refused, and forgets it.</summary>
    public void DeleteAfterFailure()
    {
        try
        {
            _file.Dispose();
            Delete(_fileSystem, _request);
        }
        catch (IOException ex)
        {
            Log.PartialFileNotDeleted(_logger, _request.Key, ex);
        }
    }

    public void Dispose() => _file.Dispose();

    // Unbuffered (1): every write is a whole pooled chunk already, so a FileStream buffer would only add a copy and a
    // 128 KB large-object allocation per file.
    /// <summary>
    /// Unbuffered (1): every write is a whole pooled chunk already, so a FileStream buffer would only add a copy and a 128 KB
    /// large-object allocation per file. Shared for reading: a stream that plays the file while it downloads reads it here;
    /// one writer per key is the lease's job (DefaultMediaCache.Leases.cs), across processes too.
    /// </summary>
    private static FileSystemStream New(IFileSystem fileSystem, string path, FileMode mode) =>
        fileSystem.FileStream.New(path, mode, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 1, FileOptions.Asynchronous);

    private static MediaCacheException StorageFailure(DownloadRequest request, Exception ex) => IsDiskFull(ex)
        ? MediaDownloader.Fail(request, MediaCacheError.InsufficientSpace, "the disk is full; the partial file was removed", ex)
        : MediaDownloader.Fail(request, MediaCacheError.Storage, $"the cache could not write its file ({ex.Message})", ex);

    private static bool IsDiskFull(Exception ex) =>
        ex is IOException && (ex.HResult & 0xFFFF) is 28 /* ENOSPC */ or 112 /* ERROR_DISK_FULL */ or 39 /* ERROR_HANDLE_DISK_FULL */;
}
