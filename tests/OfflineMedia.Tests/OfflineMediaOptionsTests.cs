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
        { "connections zero", o => o.MaxConnectionsPerServer = 0, "MaxConnectionsPerServer must be between 1 and 64; it was 0." },
        { "connections too many", o => o.MaxConnectionsPerServer = 65, "MaxConnectionsPerServer must be between 1 and 64; it was 65." },
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
        { "stall too short", o => o.DownloadStallTimeout = TimeSpan.FromMilliseconds(999), "DownloadStallTimeout must be between 00:00:01 (1 second) and 00:10:00 (10 minutes); it was 00:00:00.9990000." },
        { "stall too long", o => o.DownloadStallTimeout = TimeSpan.FromMinutes(10) + TimeSpan.FromTicks(1), "DownloadStallTimeout must be between 00:00:01 (1 second) and 00:10:00 (10 minutes); it was 00:10:00.0000001." },
        { "attempts zero", o => o.MaxDownloadAttempts = 0, "MaxDownloadAttempts must be between 1 and 10; it was 0." },
        { "attempts too many", o => o.MaxDownloadAttempts = 11, "MaxDownloadAttempts must be between 1 and 10; it was 11." },
        { "retry delay too short", o => o.RetryBaseDelay = TimeSpan.FromMilliseconds(9), "RetryBaseDelay must be between 00:00:00.0100000 (10 ms) and 00:01:00 (1 minute); it was 00:00:00.0090000." },
        { "retry delay too long", o => o.RetryBaseDelay = TimeSpan.FromSeconds(61), "RetryBaseDelay must be between 00:00:00.0100000 (10 ms) and 00:01:00 (1 minute); it was 00:01:01." },
        { "pause negative", o => o.SyncPauseTimeout = TimeSpan.FromTicks(-1), "SyncPauseTimeout must be between 00:00:00 and 1.00:00:00 (1 day); it was -00:00:00.0000001." },
        { "pause too long", o => o.SyncPauseTimeout = TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1), "SyncPauseTimeout must be between 00:00:00 and 1.00:00:00 (1 day); it was 1.00:00:01." },
        { "background too short", o => o.BackgroundSyncInterval = TimeSpan.FromSeconds(59), "BackgroundSyncInterval must be between 00:01:00 (1 minute) and 1.00:00:00 (1 day); it was 00:00:59." },
        { "background too long", o => o.BackgroundSyncInterval = TimeSpan.FromDays(2), "BackgroundSyncInterval must be between 00:01:00 (1 minute) and 1.00:00:00 (1 day); it was 2.00:00:00." },
        { "jitter too long", o => o.BackgroundSyncJitter = TimeSpan.FromDays(2), "BackgroundSyncJitter must be between 00:00:00 (off) and 1.00:00:00 (1 day); it was 2.00:00:00." },
        { "cellular negative", o => o.CellularWarningThresholdBytes = -1, "CellularWarningThresholdBytes must be between 0 and 68719476736 (64 GiB) bytes; it was -1." },
        { "cellular too large", o => o.CellularWarningThresholdBytes = (64L << 30) + 1, "CellularWarningThresholdBytes must be between 0 and 68719476736 (64 GiB) bytes; it was 68719476737." },
        { "image too small", o => o.MaxImageBytes = (64 * 1024) - 1, "MaxImageBytes must be between 65536 (64 KiB) and 1073741824 (1 GiB) bytes; it was 65535." },
        { "image too large", o => o.MaxImageBytes = (1L << 30) + 1, "MaxImageBytes must be between 65536 (64 KiB) and 1073741824 (1 GiB) bytes; it was 1073741825." },
        { "video too small", o => o.MaxVideoBytes = (1024 * 1024) - 1, "MaxVideoBytes must be between 1048576 (1 MiB) and 68719476736 (64 GiB) bytes; it was 1048575." },
        { "video too large", o => o.MaxVideoBytes = (64L << 30) + 1, "MaxVideoBytes must be between 1048576 (1 MiB) and 68719476736 (64 GiB) bytes; it was 68719476737." },
        { "reserve negative", o => o.StorageReserveBytes = -1, "StorageReserveBytes must be between 0 and 68719476736 (64 GiB) bytes; it was -1." },
        { "reserve too large", o => o.StorageReserveBytes = (64L << 30) + 1, "StorageReserveBytes must be between 0 and 68719476736 (64 GiB) bytes; it was 68719476737." },
        { "tablet inches fraction", o => o.TabletMinScreenInches = 0.5, "TabletMinScreenInches must be between 1 and 100 inches; it was 0.5." },
        { "desktop inches not a number", o => o.DesktopMinScreenInches = double.NaN, "DesktopMinScreenInches must be between 1 and 100 inches; it was NaN." },
        { "cache blank", o => o.CacheDirectory = "   ", "CacheDirectory is required: set an absolute folder for the media cache." },
        { "route without placeholder", o => o.ExerciseMediaRoute = "api/exercises/media", "ExerciseMediaRoute must be a route relative to ApiBaseAddress containing {exerciseId}; it was 'api/exercises/media'." },
        { "route absolute", o => o.WorkoutRoute = "https://elsewhere.example/{workoutId}", "WorkoutRoute must be a route relative to ApiBaseAddress containing {workoutId}; it was 'https://elsewhere.example/{workoutId}'." },
        { "route empty", o => o.UpcomingWorkoutsRoute = "", "UpcomingWorkoutsRoute must be a route relative to ApiBaseAddress containing {days}; it was ''." },
    };

    // Each option at one of its limits: the limits are inclusive, and a limit written wrong (a TimeSpan misread, an
    // exclusive bound) fails here.
    public static TheoryData<string, Action<OfflineMediaOptions>> ValuesAtTheLimits => new()
    {
        { "limit smallest", o => o.CacheSizeLimitBytes = 1024 * 1024 },
        { "limit largest", o => o.CacheSizeLimitBytes = 1L << 40 },
        { "days fewest", o => o.DaysToKeepMedia = 1 },
        { "days most", o => o.DaysToKeepMedia = 3650 },
        { "window shortest", o => o.UpcomingWindow = TimeSpan.FromHours(1) },
        { "window longest", o => o.UpcomingWindow = TimeSpan.FromDays(90) },
        { "resync shortest", o => o.ResyncInterval = TimeSpan.FromMinutes(1) },
        { "resync longest", o => o.ResyncInterval = TimeSpan.FromDays(30) },
        { "parallel fewest", o => o.MaxParallelDownloads = 1 },
        { "parallel most", o => o.MaxParallelDownloads = 16 },
        { "connections fewest", o => o.MaxConnectionsPerServer = 1 },
        { "connections most", o => o.MaxConnectionsPerServer = 64 },
        { "image smallest", o => o.MaxImageBytes = 64 * 1024 },
        { "image largest", o => o.MaxImageBytes = 1L << 30 },
        { "video smallest", o => o.MaxVideoBytes = 1024 * 1024 },
        { "video largest", o => o.MaxVideoBytes = 64L << 30 },
        { "reserve none", o => o.StorageReserveBytes = 0 },
        { "reserve largest", o => o.StorageReserveBytes = 64L << 30 },
        { "stall shortest", o => o.DownloadStallTimeout = TimeSpan.FromSeconds(1) },
        { "stall longest", o => o.DownloadStallTimeout = TimeSpan.FromMinutes(10) },
        { "rate off", o => o.MinimumDownloadBytesPerSecond = 0 },
        { "rate highest", o => o.MinimumDownloadBytesPerSecond = 100L * 1024 * 1024 },
        { "attempts fewest", o => o.MaxDownloadAttempts = 1 },
        { "attempts most", o => o.MaxDownloadAttempts = 10 },
        { "retry-after none", o => o.MaxRetryAfter = TimeSpan.Zero },
        { "retry-after longest", o => o.MaxRetryAfter = TimeSpan.FromHours(1) },
        { "sync timeout shortest", o => o.SyncTimeout = TimeSpan.FromSeconds(1) },
        { "sync timeout longest", o => o.SyncTimeout = TimeSpan.FromDays(1) },
        { "api timeout shortest", o => o.ApiRequestTimeout = TimeSpan.FromSeconds(1) },
        { "api timeout longest", o => o.ApiRequestTimeout = TimeSpan.FromMinutes(10) },
        { "retry delay shortest", o => o.RetryBaseDelay = TimeSpan.FromMilliseconds(10) },
        { "retry delay longest", o => o.RetryBaseDelay = TimeSpan.FromMinutes(1) },
        { "pause none", o => o.SyncPauseTimeout = TimeSpan.Zero },
        { "pause longest", o => o.SyncPauseTimeout = TimeSpan.FromDays(1) },
        { "cellular none", o => o.CellularWarningThresholdBytes = 0 },
        { "cellular largest", o => o.CellularWarningThresholdBytes = 64L << 30 },
        { "background shortest", o => o.BackgroundSyncInterval = TimeSpan.FromMinutes(1) },
        { "background longest", o => o.BackgroundSyncInterval = TimeSpan.FromDays(1) },
        { "jitter off", o => o.BackgroundSyncJitter = TimeSpan.Zero },
        { "jitter longest", o => o.BackgroundSyncJitter = TimeSpan.FromDays(1) },
        { "tablet smallest", o => o.TabletMinScreenInches = 1 },
        { "tablet just below desktop", o => { o.TabletMinScreenInches = 99.5; o.DesktopMinScreenInches = 100; } },
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

    [Theory]
    [MemberData(nameof(ValuesAtTheLimits))]
    public void Validate_ValueAtItsLimit_Succeeds(string scenario, Action<OfflineMediaOptions> configure)
    {
        Assert.Null(Validate(configure));
        Assert.False(string.IsNullOrEmpty(scenario));
    }

    [Fact]
    public void Validate_LargestValues_FailWithAMessageNotAnException()
    {
        var failure = Validate(o =>
        {
            o.CacheSizeLimitBytes = long.MaxValue;
            o.MaxImageBytes = long.MaxValue;
            o.MaxVideoBytes = long.MaxValue;
            o.StorageReserveBytes = long.MaxValue;
            o.MinimumDownloadBytesPerSecond = long.MaxValue;
            o.CellularWarningThresholdBytes = long.MaxValue;
            o.DaysToKeepMedia = int.MaxValue;
            o.UpcomingWindow = TimeSpan.MaxValue;
        });

        Assert.NotNull(failure);
        foreach (var option in new[] { "CacheSizeLimitBytes", "MaxImageBytes", "MaxVideoBytes", "StorageReserveBytes", "MinimumDownloadBytesPerSecond", "CellularWarningThresholdBytes" })
        {
            Assert.Contains($"{option} must be between ", failure, StringComparison.Ordinal);
        }

        Assert.Contains("it was 9223372036854775807.", failure, StringComparison.Ordinal);
        Assert.Contains("DaysToKeepMedia must be between 1 and 3650 days; it was 2147483647.", failure, StringComparison.Ordinal);
        Assert.Contains($"UpcomingWindow must be between 01:00:00 (1 hour) and 90.00:00:00 (90 days); it was {TimeSpan.MaxValue}.", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralInvalidValues_ReportsEachOnce()
    {
        var options = new OfflineMediaOptions
        {
            MaxParallelDownloads = 0,
            ResyncInterval = TimeSpan.Zero,
            Strategy = (SyncStrategy)42,
            TabletMinScreenInches = 12,
        };

        var result = new OfflineMedia.Internal.OfflineMediaOptionsValidator().Validate(Options.DefaultName, options);

        Assert.Equal(
            [
                "MaxParallelDownloads must be between 1 and 16; it was 0.",
                "ResyncInterval must be between 00:01:00 (1 minute) and 30.00:00:00 (30 days); it was 00:00:00.",
                "Strategy must be WiFiOnly, WiFiAndCellular or Manual; it was 42.",
                "TabletMinScreenInches (12) must be less than DesktopMinScreenInches (10).",
            ],
            result.Failures!.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_NamedOptions_MessageNamesTheOptionAsSet()
    {
        var options = new OfflineMediaOptions { MaxDownloadAttempts = 0 };

        var result = new OfflineMedia.Internal.OfflineMediaOptionsValidator().Validate("Gym", options);

        Assert.True(result.Failed);
        Assert.StartsWith("MaxDownloadAttempts must be between 1 and 10; it was 0.", result.FailureMessage, StringComparison.Ordinal);
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
