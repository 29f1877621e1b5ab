using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NSubstitute;
using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Cache;

/// <summary>
/// The cache opened as the host starts, in a real generic host on a real folder: an app's first screen finds it open, a
/// folder that cannot be opened yet is tried again by the first use, and an app's own cache is left to the app.
/// </summary>
public sealed class CacheWarmUpTests : TempFolderTestBase
{
    private static readonly MediaKey s_squat = new("squat", MediaKind.Image, "medium");

    [Fact]
    public async Task HostStarts_TheCacheOpensInTheBackgroundBeforeAnyLookup()
    {
        using var host = BuildHost(Root);

        await host.StartAsync();

        // Nothing has asked the cache for anything: the start alone claims the folder and registers this instance.
        await WaitUntilAsync(() => LiveFiles(Root).Length == 1);
        Assert.Null(await host.Services.GetRequiredService<IMediaCache>().TryGetAsync(s_squat));
        await host.StopAsync();
        host.Dispose();
        Assert.Empty(LiveFiles(Root)); // Closed with the host.
    }

    [Fact]
    public async Task WarmUpOfflineMedia_WithoutAHost_OpensTheCacheInTheBackgroundOnce()
    {
        // As a MAUI app has it: a service provider, and no hosted services run.
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOfflineMedia(o => o.CacheDirectory = Root);
        await using var provider = services.BuildServiceProvider();

        provider.WarmUpOfflineMedia();
        provider.WarmUpOfflineMedia();

        await WaitUntilAsync(() => LiveFiles(Root).Length == 1);
        Assert.Null(await provider.GetRequiredService<IMediaCache>().TryGetAsync(s_squat));

        provider.GetRequiredService<CacheWarmUp>().OpenCache(); // What a later warm-up runs, here on this thread.
        Assert.Single(LiveFiles(Root)); // One instance: a warm-up after the open joins it.
    }

    [Fact]
    public async Task OpenCache_OnTheWarmUpsThread_LeavesTheCacheOpenSoALookupCompletesAtOnce()
    {
        using var host = BuildHost(Root);

        WarmUp(host).OpenCache();

        Assert.Single(LiveFiles(Root));
        var lookup = host.Services.GetRequiredService<IMediaCache>().TryGetAsync(s_squat);
        Assert.True(lookup.IsCompletedSuccessfully); // No open to wait for.
        Assert.Null(await lookup);
    }

    [Fact]
    public async Task OpenCache_FolderCannotBeCreatedYet_LogsWhyAndTheFirstUseTriesAgain()
    {
        var blocker = Path.Combine(Temp.Path, "not-yet");
        await File.WriteAllTextAsync(blocker, "a file where the cache's parent folder should be");
        var root = Path.Combine(blocker, "cache");
        using var host = BuildHost(root);

        WarmUp(host).OpenCache();

        var warning = Assert.Single(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 265);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(root, warning.Message, StringComparison.Ordinal);
        var cache = host.Services.GetRequiredService<IMediaCache>();
        var refused = await Assert.ThrowsAsync<MediaCacheException>(async () => await cache.TryGetAsync(s_squat));
        Assert.Equal(MediaCacheError.Storage, refused.Error);

        File.Delete(blocker);
        Assert.Null(await cache.TryGetAsync(s_squat));
        Assert.Single(LiveFiles(root));
    }

    [Fact]
    public async Task WarmUpOfflineMedia_InvalidOptions_LogsWhyAndTheFirstUseThrowsIt()
    {
        // A MAUI app: no host start validated the options.
        var logs = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(new FakeLoggerProvider(logs)));
        services.AddOfflineMedia(o => o.CacheDirectory = "relative/media");
        await using var provider = services.BuildServiceProvider();
        var warmUp = provider.GetRequiredService<CacheWarmUp>();

        warmUp.OpenCache();

        var warning = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 266);
        Assert.Contains("CacheDirectory must be an absolute path", warning.Exception?.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            async () => await provider.GetRequiredService<IMediaCache>().TryGetAsync(s_squat));
    }

    [Fact]
    public async Task OpenCache_AppReplacedTheCache_CreatesTheAppsAndLeavesTheFolderAlone()
    {
        var appCache = Substitute.For<IMediaCache>();
        using var host = BuildHost(Root, services => services.AddSingleton(appCache));

        WarmUp(host).OpenCache();

        Assert.False(Directory.Exists(Root));
        Assert.Same(appCache, host.Services.GetRequiredService<IMediaCache>());
        await host.StartAsync();
        await host.StopAsync();
        Assert.False(Directory.Exists(Root));
    }

    private static IHost BuildHost(string root, Action<IServiceCollection>? appServices = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddFakeLogging();
        appServices?.Invoke(builder.Services); // Registered first, as an app's own services win over the SDK's defaults.
        builder.Services.AddOfflineMedia(o =>
            {
                o.ApiBaseAddress = new Uri("http://127.0.0.1:9/");
                o.CacheDirectory = root;
            })
            .UseDisplayProbe(new FakeDisplayProbe(FakeDisplayProbe.Phone))
            .UseStorageProbe(FakeStorageProbe.WithGigabytes(10))
            .UseConnectivityProbe(new FakeConnectivityProbe(FakeConnectivityProbe.Offline));
        return builder.Build();
    }

    private static CacheWarmUp WarmUp(IHost host) => host.Services.GetServices<IHostedService>().OfType<CacheWarmUp>().Single();

    private static string[] LiveFiles(string root)
    {
        var temp = Path.Combine(root, "tmp");
        return Directory.Exists(temp) ? Directory.GetFiles(temp, "*.live") : [];
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 30 seconds.");
            await Task.Delay(10);
        }
    }
}
