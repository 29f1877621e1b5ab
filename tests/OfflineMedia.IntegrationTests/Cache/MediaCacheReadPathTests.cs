using System.IO.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Profiles;
using OfflineMedia.Resolution;
using OfflineMedia.Resolution.Internal;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Cache;

/// <summary>
/// A lookup never waits for a writer, nor holds its caller's thread: a screen asks on its UI thread, or many at once on
/// the thread pool, while a sync commits files and trims. The writer here is held on a stalled disk for as long as the
/// test likes; every call that must not wait for it is made on a thread of its own and given a bound, so the old
/// behaviour fails the test instead of hanging it.
/// </summary>
public sealed class MediaCacheReadPathTests : OriginTestBase
{
    private static readonly TimeSpan s_doesNotHang = TimeSpan.FromSeconds(5);

    protected override FakeMediaCatalog CreateCatalog() => new FakeMediaCatalog()
        .AddExercise("a", "A", e => e.AddImage("medium", 40_000))
        .AddExercise("b", "B", e => e.AddImage("medium", 50_000))
        .AddExercise("row", "Row", e => e.AddImage("small", 20_000).AddImage("medium", 60_000));

    [Fact]
    public async Task TryGetAsync_FileMissingWhileACommitHoldsTheCache_ReturnsNullAtOnceAndDropsTheRowAfter()
    {
        var fileSystem = new HoldingFileSystem();
        await using var host = new CacheHost(Root, Origin.BaseAddress, fileSystem: fileSystem);
        var a = await DownloadAsync(host, "a");
        File.Delete(a.LocalPath);
        var dropped = LoggedAsync(host, eventId: 12);

        Task<CachedMedia> committing;
        using (fileSystem.Hold(FinalPath(host, "b")))
        {
            // b's commit takes the cache's mutation lock, moves its file into place and stalls there.
            committing = DownloadAsync(host, "b");
            await fileSystem.Reached.WaitAsync(s_doesNotHang);

            var lookup = await CallOnOwnThreadAsync(() => host.Cache.TryGetAsync(a.Key)).WaitAsync(s_doesNotHang);

            Assert.True(lookup.AtOnce, "A lookup of a missing file completes at once.");
            Assert.Null(await lookup.Outcome);
            Assert.False(committing.IsCompleted);
            Assert.Equal(a.Bytes, (await host.Cache.GetUsageAsync()).TotalBytes); // a's row is dropped after the commit, not by the reader.
        }

        var b = await committing.WaitAsync(s_doesNotHang);
        await dropped.WaitAsync(s_doesNotHang);
        await AssertCountedAsync(host, b.Bytes, count: 1);

        // The key downloads again, and the running total counts each file once.
        var again = await DownloadAsync(host, "a");
        Assert.Equal(a.LocalPath, again.LocalPath);
        await AssertCountedAsync(host, a.Bytes + b.Bytes, count: 2);
    }

    [Fact]
    public async Task ResolveAsync_OfflineThePreferredFileMissingWhileACommitHoldsTheCache_AnswersWithTheNearestCachedVariant()
    {
        var fileSystem = new HoldingFileSystem();
        await using var host = new CacheHost(Root, Origin.BaseAddress, fileSystem: fileSystem);
        var small = await DownloadAsync(host, "row", "small");
        var medium = await DownloadAsync(host, "row", "medium"); // What a phone with room downloads and shows.
        File.Delete(medium.LocalPath);
        var resolver = ActivatorUtilities.CreateInstance<DefaultMediaSourceResolver>(host.Services, new OfflinePhone());

        using (fileSystem.Hold(FinalPath(host, "b")))
        {
            var committing = DownloadAsync(host, "b");
            await fileSystem.Reached.WaitAsync(s_doesNotHang);

            var entries = await CallOnOwnThreadAsync(() => new ValueTask<IReadOnlyList<CachedMedia>>(host.Cache.GetEntriesAsync("row")))
                .WaitAsync(s_doesNotHang);
            var resolving = await CallOnOwnThreadAsync(() => resolver.ResolveAsync("row", MediaKind.Image)).WaitAsync(s_doesNotHang);
            var resolved = await resolving.Outcome.WaitAsync(s_doesNotHang);

            Assert.True(entries.AtOnce);
            Assert.Equal([small.LocalPath], (await entries.Outcome).Select(e => e.LocalPath));
            Assert.Equal(MediaSourceKind.Local, resolved.Source);
            Assert.Equal("small", resolved.Variant);
            Assert.Equal(small.LocalPath, resolved.LocalPath);
            Assert.False(committing.IsCompleted);
        }
    }

    [Fact]
    public async Task TryGetAsync_FirstUseWhileTheOpenRepairsACrash_ReturnsWithoutHoldingItsThread()
    {
        var crashed = new CacheHost(Root, Origin.BaseAddress);
        var a = await DownloadAsync(crashed, "a");
        crashed.Abandon();
        await crashed.DisposeAsync();

        var fileSystem = new HoldingFileSystem();
        await using var reopened = new CacheHost(Root, Origin.BaseAddress, fileSystem: fileSystem);
        (bool AtOnce, Task<CachedMedia?> Outcome) lookup;
        (bool AtOnce, Task<IReadOnlyList<CachedMedia>> Outcome) listing;
        using (fileSystem.Hold(a.LocalPath))
        {
            // The first use opens the cache, which after a crash checks every file: here a's check stalls on the disk.
            lookup = await CallOnOwnThreadAsync(() => reopened.Cache.TryGetAsync(a.Key)).WaitAsync(s_doesNotHang);
            listing = await CallOnOwnThreadAsync(() => new ValueTask<IReadOnlyList<CachedMedia>>(reopened.Cache.GetEntriesAsync("a")))
                .WaitAsync(s_doesNotHang);
            await fileSystem.Reached.WaitAsync(s_doesNotHang);

            Assert.False(lookup.Outcome.IsCompleted);
            Assert.False(listing.Outcome.IsCompleted);
        }

        Assert.Equal(a.LocalPath, (await lookup.Outcome.WaitAsync(s_doesNotHang))?.LocalPath);
        Assert.Equal([a.LocalPath], (await listing.Outcome.WaitAsync(s_doesNotHang)).Select(e => e.LocalPath));
        Assert.Equal(a.LocalPath, (await reopened.Cache.TryGetAsync(a.Key))?.LocalPath);
    }

    /// <summary>
    /// Makes the call on a thread of its own and gives, once it returns, whether it had completed then and its outcome: a
    /// call that blocks its caller leaves this incomplete (bounded by the test), where it would hang the test's own thread.
    /// </summary>
    private static Task<(bool AtOnce, Task<T> Outcome)> CallOnOwnThreadAsync<T>(Func<ValueTask<T>> call)
    {
        var returned = new TaskCompletionSource<(bool, Task<T>)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                var pending = call();
                returned.SetResult((pending.IsCompleted, pending.AsTask()));
            }
            catch (Exception ex)
            {
                returned.SetException(ex);
            }
        })
        { IsBackground = true };
        thread.Start();
        return returned.Task;
    }

    /// <summary>Completes when the SDK logs the event, wherever it logs it from.</summary>
    private static Task LoggedAsync(CacheHost host, int eventId)
    {
        var logged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.OnLog = record =>
        {
            if (record.Id.Id == eventId)
            {
                logged.TrySetResult();
            }
        };
        return logged.Task;
    }

    /// <summary>The index counts these files, and the cache's running total (what a trim reports remaining) agrees.</summary>
    private static async Task AssertCountedAsync(CacheHost host, long bytes, int count)
    {
        var usage = await host.Cache.GetUsageAsync();
        Assert.Equal(count, usage.Count);
        Assert.Equal(bytes, usage.TotalBytes);
        Assert.Equal(bytes, (await host.Cache.TrimAsync(long.MaxValue / 2)).RemainingBytes);
    }

    /// <summary>Where the cache puts the variant's file once downloaded.</summary>
    private string FinalPath(CacheHost host, string exercise, string variant = "medium")
    {
        var source = Origin.Catalog.GetVariant(exercise, FakeMediaKind.Image, variant);
        return host.Default.Paths.Resolve(host.Default.Paths.RelativeMediaPath(source.ToKey(), source.Path));
    }

    private async Task<CachedMedia> DownloadAsync(CacheHost host, string exercise, string variant = "medium")
    {
        var source = Origin.Catalog.GetVariant(exercise, FakeMediaKind.Image, variant);
        return await host.Cache.GetOrDownloadAsync(source.ToKey(), source.ToSource());
    }

    /// <summary>A phone with room to spare, without network: it shows only what is cached.</summary>
    private sealed class OfflinePhone : IDeviceProfileProvider
    {
        public DeviceProfile GetProfile() => new(DeviceClass.Phone, 6.1, 100L << 30, FakeConnectivityProbe.Offline);
    }

    /// <summary>
    /// The real file system, where a test holds the cache at one path, as a stalled disk would: a move onto it, or a
    /// look at it, waits there until the hold is released.
    /// </summary>
    private sealed class HoldingFileSystem : FileSystem
    {
        private readonly ManualResetEventSlim _released = new(initialState: true);
        private readonly HoldingFile _file;
        private readonly HoldingFileInfoFactory _fileInfo;
        private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private string? _held;

        public HoldingFileSystem()
        {
            _file = new HoldingFile(this);
            _fileInfo = new HoldingFileInfoFactory(this, base.FileInfo);
        }

        public override IFile File => _file;

        public override IFileInfoFactory FileInfo => _fileInfo;

        /// <summary>Gets a task that completes when the cache reaches the held path.</summary>
        public Task Reached => _reached.Task;

        /// <summary>Holds the cache at <paramref name="path"/> until the returned handle is disposed.</summary>
        public IDisposable Hold(string path)
        {
            _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _released.Reset();
            Volatile.Write(ref _held, path);
            return new Release(this);
        }

        private void Pass(string path)
        {
            if (path == Volatile.Read(ref _held))
            {
                _reached.TrySetResult();
                _released.Wait(TimeSpan.FromSeconds(30)); // Bounded, should a test fail before releasing it.
            }
        }

        private sealed class Release(HoldingFileSystem fileSystem) : IDisposable
        {
            public void Dispose()
            {
                Volatile.Write(ref fileSystem._held, null);
                fileSystem._released.Set();
            }
        }

        private sealed class HoldingFile(HoldingFileSystem fileSystem) : FileWrapper(fileSystem)
        {
            public override void Move(string sourceFileName, string destFileName, bool overwrite)
            {
                fileSystem.Pass(destFileName);
                base.Move(sourceFileName, destFileName, overwrite);
            }
        }

        private sealed class HoldingFileInfoFactory(HoldingFileSystem fileSystem, IFileInfoFactory inner) : IFileInfoFactory
        {
            public IFileSystem FileSystem => fileSystem;

            public IFileInfo New(string fileName)
            {
                fileSystem.Pass(fileName);
                return inner.New(fileName);
            }

            public IFileInfo? Wrap(FileInfo? fileInfo) => inner.Wrap(fileInfo);
        }
    }
}
