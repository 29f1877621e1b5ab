using System.Collections.Concurrent;
using System.IO.Abstractions;
using NSubstitute;
using Microsoft.Extensions.Time.Testing;
using NSubstitute.ExceptionExtensions;
using OfflineMedia.Cache.Internal;

namespace OfflineMedia.Tests.Cache;

public sealed class DiskFlusherTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("offlinemedia-flush-").FullName;
    private readonly IFileSystem _fileSystem = Substitute.For<IFileSystem>();
    private readonly FakeTimeProvider _time = new();
    private readonly ConcurrentQueue<string> _flushed = new();
    private readonly ConcurrentQueue<(string Path, Exception Error)> _failed = new();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Dispose_FlushesEveryQueuedFileAtOnceToDiskOffThePoolAndReportsIt()
    {
        var files = Enumerable.Range(0, 16).Select(i => Recording($"{i}.mp4")).ToList();
        var flusher = NewFlusher();

        foreach (var file in files)
        {
            flusher.Enqueue(new(file.Name, "video/a/" + Path.GetFileName(file.Name), 1));
        }

        flusher.Dispose();

        Assert.All(files, file => Assert.Equal([(true, false)], file.Flushes));
        Assert.Equal(files.Select(f => "video/a/" + Path.GetFileName(f.Name)).Order(), _flushed.Order());
        Assert.Empty(_failed);
    }

    [Fact]
    public void Enqueue_FlushesAFileOnlyItsDelayAfterItsCommit()
    {
        var file = Recording("a.mp4");
        using var flusher = NewFlusher();

        flusher.Enqueue(new(file.Name, "video/a/a.mp4", 1));
        Thread.Sleep(100);
        _time.Advance(DiskFlusher.Delay - TimeSpan.FromMilliseconds(1));
        Thread.Sleep(100);
        Assert.Empty(file.Flushes);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(SpinWait.SpinUntil(() => !_flushed.IsEmpty, TimeSpan.FromSeconds(10)));
        Assert.Equal([(true, false)], file.Flushes);
        Assert.Equal(["video/a/a.mp4"], _flushed);
    }

    [Fact]
    public void Enqueue_FlushFails_ReportsTheFileAsFailedAndGoesOn()
    {
        var failing = Recording("bad.mp4", new IOException("Input/output error"));
        var good = Recording("good.mp4");
        var flusher = NewFlusher();

        flusher.Enqueue(new(failing.Name, "video/a/bad.mp4", 1));
        flusher.Enqueue(new(good.Name, "video/a/good.mp4", 1));
        flusher.Dispose();

        var (path, error) = Assert.Single(_failed);
        Assert.Equal("video/a/bad.mp4", path);
        Assert.Equal("Input/output error", error.Message);
        Assert.Equal(["video/a/good.mp4"], _flushed);
    }

    [Fact]
    public void Enqueue_FileGoneBeforeItsFlush_CountsAsFlushed()
    {
        var gone = Path.Combine(_directory, "evicted.mp4");
        _fileSystem.FileStream.New(gone, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)
            .Throws(new FileNotFoundException("gone", gone));
        var flusher = NewFlusher();

        flusher.Enqueue(new(gone, "video/a/evicted.mp4", 1));
        flusher.Dispose();

        Assert.Equal(["video/a/evicted.mp4"], _flushed);
        Assert.Empty(_failed);
    }

    [Fact]
    public void Dispose_NothingQueued_StartsNoThreads()
    {
        var flusher = NewFlusher();
        flusher.Dispose();

        Assert.Empty(_fileSystem.FileStream.ReceivedCalls());
        Assert.Empty(_flushed);
    }

    [Fact]
    public void Enqueue_AfterDispose_Throws()
    {
        var flusher = NewFlusher();
        flusher.Dispose();

        Assert.Throws<ObjectDisposedException>(() => flusher.Enqueue(new(Path.Combine(_directory, "late.mp4"), "video/a/late.mp4", 1)));
        Assert.Empty(_flushed);
    }

    private DiskFlusher NewFlusher() =>
        new(_fileSystem, _time, files => files.ToList().ForEach(f => _flushed.Enqueue(f.IndexPath)), (file, error) => _failed.Enqueue((file.IndexPath, error)));

    /// <summary>A real file, returned by the substitute file system when the flusher opens it to flush.</summary>
    private RecordingStream Recording(string name, Exception? failure = null)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, [1, 2, 3]);
        var stream = new RecordingStream(new FileSystem().FileStream.New(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete), path)
        {
            Failure = failure,
        };
        _fileSystem.FileStream.New(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete).Returns(stream);
        return stream;
    }

    private sealed class RecordingStream(FileSystemStream inner, string path) : FileSystemStream(inner, path, isAsync: false)
    {
        public List<(bool ToDisk, bool OnPool)> Flushes { get; } = [];

        public Exception? Failure { get; init; }

        public override void Flush(bool flushToDisk)
        {
            lock (Flushes)
            {
                Flushes.Add((flushToDisk, Thread.CurrentThread.IsThreadPoolThread));
            }

            if (Failure is not null)
            {
                throw Failure;
            }

            inner.Flush(flushToDisk);
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
