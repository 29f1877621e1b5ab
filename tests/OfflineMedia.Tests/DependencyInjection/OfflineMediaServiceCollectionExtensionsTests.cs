using System.IO.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OfflineMedia.Cache;
using OfflineMedia.Profiles;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.Tests.DependencyInjection;

public sealed class OfflineMediaServiceCollectionExtensionsTests
{
    [Theory]
    [InlineData(typeof(IDeviceProfileProvider))]
    [InlineData(typeof(IVariantSelector))]
    [InlineData(typeof(IDisplayProbe))]
    [InlineData(typeof(IStorageProbe))]
    [InlineData(typeof(IConnectivityProbe))]
    [InlineData(typeof(TimeProvider))]
    [InlineData(typeof(IFileSystem))]
    [InlineData(typeof(IMediaCache))]
    [InlineData(typeof(IHttpClientFactory))]
    public void AddOfflineMedia_ResolvesEveryPublicService(Type service)
    {
        using var provider = Build(services => services.AddOfflineMedia(o => o.CacheDirectory = TempDirectory()));

        Assert.NotNull(provider.GetRequiredService(service));
    }

    [Fact]
    public void AddOfflineMedia_ServicesAreSingletons()
    {
        using var provider = Build(services => services.AddOfflineMedia(_ => { }));

        Assert.Same(provider.GetRequiredService<IDeviceProfileProvider>(), provider.GetRequiredService<IDeviceProfileProvider>());
        Assert.Same(provider.GetRequiredService<IVariantSelector>(), provider.GetRequiredService<IVariantSelector>());
    }

    [Fact]
    public void AddOfflineMedia_WarmUp_IsTheFirstHostedServiceSoItRunsBesideTheRestOfTheStart()
    {
        using var provider = Build(services => services.AddOfflineMedia(o => o.CacheDirectory = TempDirectory()).EnableBackgroundSync());

        Assert.IsType<OfflineMedia.Cache.Internal.CacheWarmUp>(provider.GetServices<IHostedService>().First());
    }

    [Fact]
    public void WarmUpOfflineMedia_WithoutTheSdkRegistered_SaysToAddItFirst()
    {
        using var provider = Build(_ => { });

        var refused = Assert.Throws<InvalidOperationException>(() => provider.WarmUpOfflineMedia());

        Assert.Contains("call AddOfflineMedia", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigureMediaHttpClient_ConfiguresTheClientThatDownloadsMedia()
    {
        var timeout = TimeSpan.FromSeconds(42);
        using var provider = Build(services => services.AddOfflineMedia(_ => { })
            .ConfigureMediaHttpClient(client => client.ConfigureHttpClient(c => c.Timeout = timeout)));

        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(OfflineMedia.Cache.Internal.MediaDownloader.HttpClientName);

        Assert.Equal(timeout, client.Timeout);
    }

    [Fact]
    public void AddOfflineMedia_AppRegistrationMadeFirst_Wins()
    {
        var probe = new FakeConnectivityProbe();
        using var provider = Build(services =>
        {
            services.AddSingleton<IConnectivityProbe>(probe);
            services.AddOfflineMedia(_ => { });
        });

        Assert.Same(probe, provider.GetRequiredService<IConnectivityProbe>());
    }

    [Fact]
    public void UseProbes_ReplaceTheDefaults()
    {
        var display = new FakeDisplayProbe(FakeDisplayProbe.Phone);
        var storage = new FakeStorageProbe(123);
        using var provider = Build(services => services.AddOfflineMedia(_ => { })
            .UseDisplayProbe(display)
            .UseStorageProbe(storage)
            .UseConnectivityProbe<FakeConnectivityProbe>());

        Assert.Same(display, provider.GetRequiredService<IDisplayProbe>());
        Assert.Same(storage, provider.GetRequiredService<IStorageProbe>());
        Assert.IsType<FakeConnectivityProbe>(provider.GetRequiredService<IConnectivityProbe>());

        var profile = provider.GetRequiredService<IDeviceProfileProvider>().GetProfile();
        Assert.Equal(DeviceClass.Phone, profile.Class);
        Assert.Equal(123, profile.AvailableStorageBytes);
        Assert.Equal(FakeConnectivityProbe.WiFi, profile.Connectivity);
    }

    [Fact]
    public void UseProbeTypes_ReplaceTheDefaults()
    {
        using var provider = Build(services => services.AddOfflineMedia(_ => { })
            .UseDisplayProbe<FakeDisplayProbe>()
            .UseStorageProbe<ZeroStorageProbe>());

        Assert.IsType<FakeDisplayProbe>(provider.GetRequiredService<IDisplayProbe>());
        Assert.IsType<ZeroStorageProbe>(provider.GetRequiredService<IStorageProbe>());
    }

    [Fact]
    public void AddOfflineMedia_Configuration_BindsEveryOption()
    {
        var cache = TempDirectory();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ApiBaseAddress"] = "https://api.example.com/",
            ["CacheDirectory"] = cache,
            ["Strategy"] = "WiFiAndCellular",
            ["CacheSizeLimitBytes"] = "1073741824",
            ["DaysToKeepMedia"] = "14",
            ["DownloadVideos"] = "false",
            ["PreferredVideoQuality"] = "High",
            ["ShowDataUsageWarnings"] = "false",
            ["UpcomingWindow"] = "3.00:00:00",
            ["ResyncInterval"] = "06:00:00",
            ["MaxParallelDownloads"] = "8",
            ["TabletMinScreenInches"] = "6.5",
            ["DesktopMinScreenInches"] = "11",
        }).Build();
        using var provider = Build(services => services.AddOfflineMedia(configuration));

        var options = provider.GetRequiredService<IOptions<OfflineMediaOptions>>().Value;

        Assert.Equal(new Uri("https://api.example.com/"), options.ApiBaseAddress);
        Assert.Equal(cache, options.CacheDirectory);
        Assert.Equal(SyncStrategy.WiFiAndCellular, options.Strategy);
        Assert.Equal(1073741824, options.CacheSizeLimitBytes);
        Assert.Equal(14, options.DaysToKeepMedia);
        Assert.False(options.DownloadVideos);
        Assert.Equal(VideoQuality.High, options.PreferredVideoQuality);
        Assert.False(options.ShowDataUsageWarnings);
        Assert.Equal(TimeSpan.FromDays(3), options.UpcomingWindow);
        Assert.Equal(TimeSpan.FromHours(6), options.ResyncInterval);
        Assert.Equal(8, options.MaxParallelDownloads);
        Assert.Equal(6.5, options.TabletMinScreenInches);
        Assert.Equal(11, options.DesktopMinScreenInches);
    }

    [Fact]
    public async Task Host_InvalidConfiguration_FailsAtStart()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddOfflineMedia(o => o.DaysToKeepMedia = -1);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("DaysToKeepMedia must be between 1 and 3650 days; it was -1.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddOfflineMedia_NullArguments_Throw()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentNullException>(() => services.AddOfflineMedia((Action<OfflineMediaOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddOfflineMedia((IConfiguration)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddOfflineMedia(_ => { }).UseConnectivityProbe(null!));
    }

    private static ServiceProvider Build(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        configure(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static string TempDirectory() => Path.Combine(Path.GetTempPath(), "offline-media-tests", Guid.NewGuid().ToString("N"));

    private sealed class ZeroStorageProbe : IStorageProbe
    {
        public long GetAvailableBytes(string path) => 0;
    }
}
