using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Cache;

/// <summary>One download per key: concurrent callers share it, and one caller's cancel does not fail the others.</summary>
public sealed class MediaCacheSharedDownloadTests : OriginTestBase
{
    private FakeMediaVariant _video = null!;

    protected override FakeMediaCatalog CreateCatalog()
    {
        var catalog = new FakeMediaCatalog().AddExercise("squat", "Squat", e => e.AddTypicalVariants(scale: 20));
        _video = catalog.GetVariant("squat", FakeMediaKind.Video, "720p");
        return catalog;
    }

    [Fact]
    public async Task GetOrDownload_TwentyConcurrentCallers_MakeOneRequestAndShareTheFile()
    {
        Origin.Faults.Set(_video, FakeFault.Delay(TimeSpan.FromMilliseconds(400)));
        await using var host = new CacheHost(Root, Origin.BaseAddress);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var callers = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await host.Cache.GetOrDownloadAsync(_video.ToKey(), _video.ToSource());
        })).ToArray();
        start.SetResult(); // All twenty are released at once onto the thread pool.
        var results = await Task.WhenAll(callers);

        Assert.Equal(1, Origin.Requests.CountRequests(_video.Path));
        Assert.Single(results.Select(r => r.LocalPath).Distinct());
        Assert.Equal(_video.Sha256, CacheFolder.Sha256(results[0].LocalPath));
        Assert.Single(CacheFolder.MediaFiles(Root));
    }

    [Fact]
    public async Task GetOrDownload_OneOfManyCallersCancels_OthersStillGetTheFile()
    {
        Origin.Faults.Set(_video, FakeFault.StallAfter(100_000, TimeSpan.FromMilliseconds(500)));
        await using var host = new CacheHost(Root, Origin.BaseAddress);
        using var quit = new CancellationTokenSource();

        // The first caller starts the download; the rest join it, all before it gets anywhere.
        var quitter = host.Cache.GetOrDownloadAsync(_video.ToKey(), _video.ToSource(), cancellationToken: quit.Token);
        var stayers = Enumerable.Range(0, 19).Select(_ => host.Cache.GetOrDownloadAsync(_video.ToKey(), _video.ToSource())).ToArray();
        await Origin.Requests.WaitForRequestAsync(_video.Path).WaitAsync(TimeSpan.FromSeconds(10));
        await quit.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => quitter);
        var results = await Task.WhenAll(stayers);

        Assert.Equal(1, Origin.Requests.CountRequests(_video.Path));
        Assert.All(results, r => Assert.Equal(results[0].LocalPath, r.LocalPath));
        Assert.Equal(_video.Sha256, CacheFolder.Sha256(results[0].LocalPath));
    }

    [Fact]
    public async Task GetOrDownload_EveryCallerCancels_StopsTheDownloadAndKeepsThePartial()
    {
        Origin.Faults.Set(_video, FakeFault.StallAfter(100_000));
        await using var host = new CacheHost(Root, Origin.BaseAddress);
        using var quit = new CancellationTokenSource();
        var progress = new RecordingProgress();

        var callers = Enumerable.Range(0, 5).Select(_ => host.Cache.GetOrDownloadAsync(_video.ToKey(), _video.ToSource(), progress, quit.Token)).ToArray();
        await progress.FirstReport.WaitAsync(TimeSpan.FromSeconds(10));
        await quit.CancelAsync();

        foreach (var caller in callers)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => caller);
        }

        // The origin sees the connection go: the download stopped rather than running on for nobody.
        await CacheFolder.WaitUntilAsync(() => Origin.Requests.ForPath(_video) is [{ IsCompleted: true, WasAborted: true }], "the origin sees the abort");
        Assert.InRange(await CacheFolder.WaitForReleasedPartialAsync(Root), 1, 100_000);
        Assert.Null(await host.Cache.TryGetAsync(_video.ToKey()));
    }
}
