using System.IO.Abstractions;
using OfflineMedia.Cache.Internal;

namespace OfflineMedia.Tests.Cache;

public sealed class DiskFlusherTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "offlinemedia-flush-" + Guid.NewGuid().ToString("N") + ".part");
    private readonly FileSystem _fileSystem = new();

    public void Dispose() => File.Delete(_path);

    [Fact]
    public async Task FlushAsync_FlushesOffThePoolAndResumesOnIt()
    {
        using var flusher = new DiskFlusher();
        var file = new RecordingStream(_fileSystem.FileStream.New(_path, FileMode.Create), _path);
        await using (file)
        {
            file.Write([1, 2, 3]);

            var resumedOnPool = await FlushAndTellWhereItResumedAsync(flusher, file);

            // The fsync ran on a thread of the flusher; what follows (the buffer's return, the commit) runs on the pool.
            Assert.Equal([true], file.Flushes.Select(f => f.ToDisk));
            Assert.False(file.Flushes[0].OnPool);
            Assert.True(resumedOnPool);
        }

        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(_path));
    }

    [Fact]
    public async Task FlushAsync_FlushFails_FaultsWithItsError()
    {
        using var flusher = new DiskFlusher();
        var file = new RecordingStream(_fileSystem.FileStream.New(_path, FileMode.Create), _path) { Failure = new IOException("No space left on device") };
        await using (file)
        {
            var error = await Assert.ThrowsAsync<IOException>(() => flusher.FlushAsync(file));
            Assert.Equal("No space left on device", error.Message);
        }
    }

    [Fact]
    public async Task Dispose_LetsQueuedFlushesFinish()
    {
        var flusher = new DiskFlusher();
        var files = Enumerable.Range(0, 16)
            .Select(i => new RecordingStream(_fileSystem.FileStream.New($"{_path}.{i}", FileMode.Create), $"{_path}.{i}"))
            .ToList();
        var flushes = files.Select(flusher.FlushAsync).ToList();

        flusher.Dispose();

        await Task.WhenAll(flushes);
        Assert.All(files, f => Assert.Single(f.Flushes));
        foreach (var file in files)
        {
            await file.DisposeAsync();
            File.Delete(file.Name);
        }
    }

    private static async Task<bool> FlushAndTellWhereItResumedAsync(DiskFlusher flusher, FileSystemStream file)
    {
        await flusher.FlushAsync(file).ConfigureAwait(false);
        return Thread.CurrentThread.IsThreadPoolThread;
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
    }
}
