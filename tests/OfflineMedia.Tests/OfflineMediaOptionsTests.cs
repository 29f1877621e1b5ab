using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OfflineMedia.Sync;
using OfflineMedia.Variants;

namespace OfflineMedia.Tests;

public sealed class OfflineMediaOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new OfflineMediaOptions();

        Assert.Equal(SyncStrategy.WiFiOnly, options.Strategy);
        Assert.Equal(2L * 1024 * 1024 * 1024, options.CacheSizeLimitBytes);
        Assert.Equal(30, options.DaysToKeepMedia);
        Assert.True(options.DownloadVideos);
        Assert.Equal(VideoQuality.Auto, options.PreferredVideoQuality);
        Assert.True(options.ShowDataUsageWarnings);
        Assert.Equal(TimeSpan.FromDays(7), options.UpcomingWindow);
        Assert.Equal(TimeSpan.FromDays(1), options.ResyncInterval);
        Assert.Equal(4, options.MaxParallelDownloads);
        Assert.Equal(7, options.TabletMinScreenInches);
        Assert.Equal(10, options.DesktopMinScreenInches);
        Assert.Null(options.ApiBaseAddress);
        Assert.True(Path.IsPathFullyQualified(options.CacheDirectory));
    }

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        Assert.Null(Validate(_ => { }));
    }

    public static TheoryData<string, Action<OfflineMediaOptions>, string> InvalidOptions => new()
    {
        { "limit too small", o => o.CacheSizeLimitBytes = 1024 * 1024 - 1, "CacheSizeLimitBytes must be between 1048576 (1 MiB) and 1099511627776 (1 TiB) bytes; it was" },
        { "limit too large", o => o.CacheSizeLimitBytes = (1024L * 1024 * 1024 * 1024) + 1, "CacheSizeLimitBytes must be between 1048576 (1 MiB) and 1099511627776 (1 TiB) bytes; it was" },
        { "days zero", o => o.DaysToKeepMedia = 0, "DaysToKeepMedia must be between 1 and 3650 days; it was" },
        { "days too many", o => o.DaysToKeepMedia = 3651, "DaysToKeepMedia must be between 1 and 3650 days; it was" },
        { "parallel zero", o => o.MaxParallelDownloads = 0, "MaxParallelDownloads must be between 1 and 16; it was" },
        { "parallel too many", o => o.MaxParallelDownloads = 17, "MaxParallelDownloads must be between 1 and 16; it was" },
        { "window too short", o => o.UpcomingWindow = TimeSpan.FromMinutes(59), "UpcomingWindow must be between 01:00:00 (1 hour) and 90.00:00:00 (90 days); it was 00:59:00." },
        { "window too long", o => o.UpcomingWindow = TimeSpan.FromDays(91), "UpcomingWindow must be between 01:00:00 (1 hour) and 90.00:00:00 (90 days); it was 91.00:00:00." },
        { "resync too short", o => o.ResyncInterval = TimeSpan.FromSeconds(59), "ResyncInterval must be between 00:01:00 (1 minute) and 30.00:00:00 (30 days); it was 00:00:59." },
        { "resync too long", o => o.ResyncInterval = TimeSpan.FromDays(31), "ResyncInterval must be between 00:01:00 (1 minute) and 30.00:00:00 (30 days); it was 31.00:00:00." },
        { "tablet inches zero", o => o.TabletMinScreenInches = 0, "TabletMinScreenInches must be between 1 and 100 inches; it was 0." },
        { "desktop inches huge", o => o.DesktopMinScreenInches = 101, "DesktopMinScreenInches must be between 1 and 100 inches; it was 101." },
        { "thresholds crossed", o => { o.TabletMinScreenInches = 10; o.DesktopMinScreenInches = 10; }, "TabletMinScreenInches (10) must be less than DesktopMinScreenInches (10)." },
        { "api relative", o => o.ApiBaseAddress = new Uri("/api", UriKind.Relative), "ApiBaseAddress must be an absolute http or https URL; it was '/api'." },
        { "api ftp", o => o.ApiBaseAddress = new Uri("ftp://example.com/"), "ApiBaseAddress must be an absolute http or https URL; it was 'ftp://example.com/'." },
        { "api file", o => o.ApiBaseAddress = new Uri("file:///etc/passwd"), "ApiBaseAddress must be an absolute http or https URL; it was 'file:///etc/passwd'." },
        { "cache relative", o => o.CacheDirectory = "cache", "CacheDirectory must be an absolute path; it was 'cache'." },
        { "cache empty", o => o.CacheDirectory = "", "CacheDirectory is required: set an absolute folder for the media cache." },
        { "strategy undefined", o => o.Strategy = (SyncStrategy)42, "Strategy must be WiFiOnly, WiFiAndCellular or Manual; it was 42." },
        { "quality undefined", o => o.PreferredVideoQuality = (VideoQuality)7, "PreferredVideoQuality must be Auto, Low or High; it was 7." },
        { "rate negative", o => o.MinimumDownloadBytesPerSecond = -1, "MinimumDownloadBytesPerSecond must be between 0 (off) and 104857600 (100 MiB/s); it was -1." },
        { "rate too high", o => o.MinimumDownloadBytesPerSecond = (100L * 1024 * 1024) + 1, "MinimumDownloadBytesPerSecond must be between 0 (off) and 104857600 (100 MiB/s); it was 104857601." },
        { "retry-after negative", o => o.MaxRetryAfter = TimeSpan.FromSeconds(-1), "MaxRetryAfter must be between 00:00:00 and 01:00:00 (1 hour); it was -00:00:01." },
        { "retry-after too long", o => o.MaxRetryAfter = TimeSpan.FromMinutes(61), "MaxRetryAfter must be between 00:00:00 and 01:00:00 (1 hour); it was 01:01:00." },
        { "sync timeout too short", o => o.SyncTimeout = TimeSpan.FromMilliseconds(999), "SyncTimeout must be empty (no limit) or between 00:00:01 (1 second) and 1.00:00:00 (1 day); it was 00:00:00.9990000." },
        { "sync timeout too long", o => o.SyncTimeout = TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1), "SyncTimeout must be empty (no limit) or between 00:00:01 (1 second) and 1.00:00:00 (1 day); it was 1.00:00:01." },
        { "api timeout too short", o => o.ApiRequestTimeout = TimeSpan.FromMilliseconds(500), "ApiRequestTimeout must be between 00:00:01 (1 second) and 00:10:00 (10 minutes); it was 00:00:00.5000000." },
        { "api timeout too long", o => o.ApiRequestTimeout = TimeSpan.FromMinutes(11), "ApiRequestTimeout must be between 00:00:01 (1 second) and 00:10:00 (10 minutes); it was 00:11:00." },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validate_InvalidValue_FailsNamingTheOptionAndItsRange(string scenario, Action<OfflineMediaOptions> configure, string expected)
    {
        var failure = Validate(configure);

        Assert.NotNull(failure);
        Assert.Contains(expected, failure, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(scenario));
    }

    [Fact]
    public void Validate_HttpsApiAndAbsoluteCache_Succeeds()
    {
        Assert.Null(Validate(o =>
        {
            o.ApiBaseAddress = new Uri("https://api.example.com/");
            o.CacheDirectory = Path.Combine(Path.GetTempPath(), "om");
        }));
    }

    [Fact]
    public void ValidateOnStart_InvalidOptions_ThrowsWhenResolved()
    {
        var services = new ServiceCollection();
        services.AddOfflineMedia(o => o.MaxParallelDownloads = 0);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<OfflineMediaOptions>>().Value);
        Assert.Contains("MaxParallelDownloads must be between 1 and 16; it was 0.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_NetworkDeadlinesSuitAPhone()
    {
        var options = new OfflineMediaOptions();

        Assert.Equal(4096, options.MinimumDownloadBytesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(30), options.DownloadStallTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxRetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ApiRequestTimeout);
        Assert.Null(options.SyncTimeout);
    }

    [Fact]
    public void Validate_NetworkDeadlinesAtTheirLimits_Succeeds()
    {
        Assert.Null(Validate(o =>
        {
            o.MinimumDownloadBytesPerSecond = 0;
            o.MaxRetryAfter = TimeSpan.Zero;
            o.SyncTimeout = TimeSpan.FromSeconds(1);
            o.ApiRequestTimeout = TimeSpan.FromMinutes(10);
        }));
    }

    [Fact]
    public void AddOfflineMedia_FromConfiguration_BindsTheNetworkDeadlines()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["CacheDirectory"] = Path.Combine(Path.GetTempPath(), "om"),
                ["MinimumDownloadBytesPerSecond"] = "2048",
                ["MaxRetryAfter"] = "00:00:10",
                ["SyncTimeout"] = "00:05:00",
                ["ApiRequestTimeout"] = "00:00:20",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddOfflineMedia(configuration);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<OfflineMediaOptions>>().Value;

        Assert.Equal(2048, options.MinimumDownloadBytesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(10), options.MaxRetryAfter);
        Assert.Equal(TimeSpan.FromMinutes(5), options.SyncTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), options.ApiRequestTimeout);
    }

    [Fact]
    public void ToVariantPreferences_CarriesVideoSettings()
    {
        var preferences = new OfflineMediaOptions { DownloadVideos = false, PreferredVideoQuality = VideoQuality.High }.ToVariantPreferences();

        Assert.False(preferences.DownloadVideos);
        Assert.Equal(VideoQuality.High, preferences.VideoQuality);
    }

    private static string? Validate(Action<OfflineMediaOptions> configure)
    {
        var options = new OfflineMediaOptions();
        configure(options);
        var result = new OfflineMedia.Internal.OfflineMediaOptionsValidator().Validate(Options.DefaultName, options);
        return result.Failed ? result.FailureMessage : null;
    }
}
