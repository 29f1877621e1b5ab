using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OfflineMedia.Cache.Internal;
using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Storage;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Storage;

/// <summary>The settings page: changes are validated, saved in the cache folder, in effect at once and after a restart.</summary>
public sealed class OfflineMediaManagerSettingsTests : OriginTestBase
{
    private const long OneMiB = 1024 * 1024;
    private const long LooseImage = 250_000;

    protected override FakeMediaCatalog CreateCatalog()
    {
        var catalog = new FakeMediaCatalog()
            .AddPhoneExercise("squat")
            .AddWorkout("w-1", "Legs", DateTimeOffset.UtcNow.AddHours(2), "squat");
        foreach (var id in new[] { "a", "b", "c", "d", "e" })
        {
            catalog.AddExercise(id, id, e => e.AddImage("large", LooseImage, FakeVariantForm.Rich));
        }

        return catalog;
    }

    [Fact]
    public async Task UpdateSettingsAsync_LowerCacheLimit_EvictsUnpinnedLeastRecentlyUsedAtOnceAndKeepsPinned()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        var manager = host.Manager();
        Assert.Equal(SyncOutcome.Complete, (await manager.SyncNowAsync()).Outcome); // squat's media, pinned for w-1.
        foreach (var id in new[] { "a", "b", "c", "d", "e" })
        {
            await host.CacheAsync(Origin.Catalog.GetVariant(id, FakeMediaKind.Image, "large"));
        }

        // Used in another order than downloaded: c and a are the least recently used.
        foreach (var id in new[] { "c", "a", "e", "b", "d" })
        {
            await Task.Delay(20);
            Assert.NotNull(await host.Cache.TryGetAsync(LooseKey(id)));
        }

        var pinnedBytes = SyncOrigin.PhoneKeys("squat").Sum(k => Origin.Catalog.VariantOf(k).SizeBytes);
        Assert.Equal(pinnedBytes + (5 * LooseImage), (await host.Cache.GetUsageAsync()).TotalBytes);

        // 1 MiB: the cache trims to 90% of it (943,718 bytes), which takes two of the loose images.
        await manager.UpdateSettingsAsync(manager.Settings with { CacheSizeLimitBytes = OneMiB });

        Assert.Equal(OneMiB, manager.Settings.CacheSizeLimitBytes);
        foreach (var id in new[] { "c", "a" })
        {
            Assert.Empty(await host.Cache.GetEntriesAsync(id));
        }

        foreach (var id in new[] { "e", "b", "d" })
        {
            Assert.Single(await host.Cache.GetEntriesAsync(id));
        }

        Assert.Equal(3, (await host.Cache.GetEntriesAsync("squat")).Count);
        var usage = await host.Cache.GetUsageAsync();
        Assert.Equal(pinnedBytes + (3 * LooseImage), usage.TotalBytes);
        Assert.Equal(OneMiB, usage.LimitBytes);
        // The evicted files stay for a grace period, for a reader handed their paths just before, then go.
        Assert.Equal(2, CacheFolder.RetiredFiles(Root).Count);
        Assert.Equal(5 + 3, CacheFolder.MediaFiles(Root).Length);
    }

    [Theory]
    [InlineData(1_000L)]
    [InlineData(2L * 1024 * 1024 * 1024 * 1024)]
    public async Task UpdateSettingsAsync_CacheLimitOutOfRange_ThrowsNamingTheOptionAndChangesNothing(long limit)
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        var manager = host.Manager();
        await host.CacheAsync(Origin.Catalog.GetVariant("a", FakeMediaKind.Image, "large"));
        var before = manager.Settings;

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            manager.UpdateSettingsAsync(before with { CacheSizeLimitBytes = limit, Strategy = SyncStrategy.Manual }));

        Assert.Contains(nameof(OfflineMediaSettings.CacheSizeLimitBytes), error.Message, StringComparison.Ordinal);
        Assert.Equal("settings", error.ParamName);
        Assert.False(File.Exists(StorageHostExtensions.SettingsFile(Root)));
        Assert.Equal(before, manager.Settings);
        Assert.Equal(SyncStrategy.WiFiOnly, host.CurrentOptions().Strategy);
        Assert.Single(await host.Cache.GetEntriesAsync("a"));
    }

    [Fact]
    public async Task UpdateSettingsAsync_UndefinedStrategy_ThrowsNamingTheOption()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        var manager = host.Manager();

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            manager.UpdateSettingsAsync(manager.Settings with { Strategy = (SyncStrategy)42 }));

        Assert.Contains(nameof(OfflineMediaSettings.Strategy), error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(StorageHostExtensions.SettingsFile(Root)));
    }

    [Fact]
    public async Task UpdateSettingsAsync_NewStrategy_TakesEffectForTheNextSyncAtOnce()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress, network: new FakeConnectivityProbe(FakeConnectivityProbe.Cellular));
        var manager = host.Manager();
        var changes = new List<OfflineMediaOptions>();
        using var subscription = host.Services.GetRequiredService<IOptionsMonitor<OfflineMediaOptions>>().OnChange(changes.Add);

        var refused = await manager.SyncNowAsync();
        await manager.UpdateSettingsAsync(manager.Settings with { Strategy = SyncStrategy.WiFiAndCellular });
        var allowed = await manager.SyncNowAsync();

        Assert.Equal(SyncOutcome.Skipped, refused.Outcome);
        Assert.Contains("Wi-Fi only", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(SyncOutcome.Complete, allowed.Outcome);
        Assert.Equal(3, allowed.Downloaded);
        Assert.Equal(SyncStrategy.WiFiAndCellular, Assert.Single(changes).Strategy);
    }

    [Fact]
    public async Task Settings_AfterARestartOnTheSameFolder_AreTheSavedOnesForEveryComponent()
    {
        var saved = new OfflineMediaSettings
        {
            Strategy = SyncStrategy.WiFiAndCellular,
            PreferredVideoQuality = VideoQuality.High,
            DownloadVideos = false,
            CacheSizeLimitBytes = 500 * OneMiB,
            ShowDataUsageWarnings = false,
        };
        await using (var first = new SyncHost(Root, Origin.BaseAddress))
        {
            await first.Manager().UpdateSettingsAsync(saved);
            Assert.Equal(saved, first.Manager().Settings);
        }

        // The app starts again with its own defaults; the user's choices win over them.
        await using var second = new SyncHost(Root, Origin.BaseAddress, o => o.DaysToKeepMedia = 12);
        var options = second.CurrentOptions();
        var report = await second.Manager().SyncNowAsync();

        Assert.True(File.Exists(StorageHostExtensions.SettingsFile(Root)));
        Assert.Equal(saved, second.Manager().Settings);
        Assert.Equal(SyncStrategy.WiFiAndCellular, options.Strategy);
        Assert.Equal(VideoQuality.High, options.PreferredVideoQuality);
        Assert.False(options.DownloadVideos);
        Assert.Equal(500 * OneMiB, options.CacheSizeLimitBytes);
        Assert.False(options.ShowDataUsageWarnings);
        Assert.Equal(12, options.DaysToKeepMedia);
        Assert.Equal(500 * OneMiB, (await second.Cache.GetUsageAsync()).LimitBytes);
        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.DoesNotContain(report.Items, i => i.Key.Kind == MediaKind.Video);
        Assert.Equal(2, report.Downloaded);
    }

    [Theory]
    [InlineData("{ this is not json")]
    [InlineData("")]
    [InlineData("""{ "strategy": "Sometimes", "cacheSizeLimitBytes": 5000000 }""")]
    public async Task Settings_CorruptSettingsFile_FallBackToTheDefaultsWithAWarning(string content)
    {
        Directory.CreateDirectory(Root);
        await File.WriteAllTextAsync(StorageHostExtensions.SettingsFile(Root), content);
        await using var host = new SyncHost(Root, Origin.BaseAddress);

        var settings = host.Manager().Settings;

        Assert.Equal(StorageHostExtensions.DefaultSettings(), settings);
        Assert.Equal(SyncStrategy.WiFiOnly, host.CurrentOptions().Strategy);
        Assert.Contains(host.Logs.GetSnapshot(), e => e.Level == LogLevel.Warning && e.Id.Id == 60 && e.Message.Contains("settings.json", StringComparison.Ordinal));

        // The next change overwrites the bad file.
        await host.Manager().UpdateSettingsAsync(settings with { Strategy = SyncStrategy.Manual });
        Assert.Equal(SyncStrategy.Manual, host.CurrentOptions().Strategy);
        Assert.Contains("\"Manual\"", await File.ReadAllTextAsync(StorageHostExtensions.SettingsFile(Root)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_SavedFileWithoutSomeMembers_KeepsTheMembersItHas()
    {
        // A file from an earlier version, before some settings existed.
        Directory.CreateDirectory(Root);
        await File.WriteAllTextAsync(StorageHostExtensions.SettingsFile(Root), """{ "strategy": "Manual", "cacheSizeLimitBytes": 104857600 }""");
        await using var host = new SyncHost(Root, Origin.BaseAddress);

        var settings = host.Manager().Settings;

        Assert.Equal(StorageHostExtensions.DefaultSettings() with { Strategy = SyncStrategy.Manual, CacheSizeLimitBytes = 100 * OneMiB }, settings);
        Assert.DoesNotContain(host.Logs.GetSnapshot(), e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Settings_SavedValueOutOfRange_IsIgnoredWithoutACrashAndTheOtherSavedValuesApply()
    {
        // A hand-edited file: a 5-byte cache limit would fail the options' validation on every read.
        Directory.CreateDirectory(Root);
        await File.WriteAllTextAsync(
            StorageHostExtensions.SettingsFile(Root),
            """{ "cacheSizeLimitBytes": 5, "strategy": "Manual", "preferredVideoQuality": "Low", "downloadVideos": false, "showDataUsageWarnings": false }""");
        await using var host = new SyncHost(Root, Origin.BaseAddress);

        var settings = host.Manager().Settings;

        Assert.Equal(
            new OfflineMediaSettings
            {
                CacheSizeLimitBytes = StorageHostExtensions.DefaultSettings().CacheSizeLimitBytes,
                Strategy = SyncStrategy.Manual,
                PreferredVideoQuality = VideoQuality.Low,
                DownloadVideos = false,
                ShowDataUsageWarnings = false,
            },
            settings);
        Assert.Equal(settings.CacheSizeLimitBytes, (await host.Cache.GetUsageAsync()).LimitBytes);
    }

    private static MediaKey LooseKey(string id) => new(id, MediaKind.Image, MediaVariantNames.Large);
}
