using System.IO.Abstractions;
using System.IO.Abstractions.TestingHelpers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NSubstitute;
using OfflineMedia.Cache;
using OfflineMedia.Storage;
using OfflineMedia.Storage.Internal;
using OfflineMedia.Sync;
using OfflineMedia.Testing;

namespace OfflineMedia.Tests.Storage;

/// <summary>The manager wired as an app wires it, over a substituted cache and an in-memory file system.</summary>
public sealed class DefaultOfflineMediaManagerTests : IDisposable
{
    private const long Reserve = 256L * 1024 * 1024;
    private static readonly string s_directory = Path.Combine(Path.GetTempPath(), "offline-media-manager");

    private readonly IMediaCache _cache = Substitute.For<IMediaCache>();
    private readonly MockFileSystem _fileSystem = new();
    private readonly FakeStorageProbe _storage = FakeStorageProbe.WithGigabytes(100);
    private readonly ServiceProvider _provider;

    public DefaultOfflineMediaManagerTests()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IFileSystem>(_fileSystem);
        services.AddSingleton(_cache);
        services.AddOfflineMedia(o =>
            {
                o.CacheDirectory = s_directory;
                o.StorageReserveBytes = Reserve;
            })
            .UseStorageProbe(_storage)
            .UseConnectivityProbe(new FakeConnectivityProbe());
        _provider = services.BuildServiceProvider();
        _cache.GetUsageAsync(Arg.Any<CancellationToken>())
            .Returns(_ => Task.FromResult(new CacheUsage(9_000, 4, 1_000, 2, 8_000, 2, 6_000, Options.CurrentValue.CacheSizeLimitBytes)));
        _cache.TrimAsync(Arg.Any<long>(), Arg.Any<CancellationToken>())
            .Returns(ci => Task.FromResult(new TrimResult(0, 0, 0, ci.Arg<long>(), [])));
    }

    private IOfflineMediaManager Manager => _provider.GetRequiredService<IOfflineMediaManager>();

    private OfflineMediaEvents Hub => _provider.GetRequiredService<OfflineMediaEvents>();

    private IOptionsMonitor<OfflineMediaOptions> Options => _provider.GetRequiredService<IOptionsMonitor<OfflineMediaOptions>>();

    public void Dispose() => _provider.Dispose();

    [Fact]
    public async Task GetStorageStatusAsync_ReportsTheCacheUsageAndTheProbesFreeBytes()
    {
        var status = await Manager.GetStorageStatusAsync();

        Assert.Equal(9_000, status.CacheBytes);
        Assert.Equal(4, status.CachedFiles);
        Assert.Equal(6_000, status.PinnedBytes);
        Assert.Equal(3_000, status.CleanableBytes);
        Assert.Equal(new OfflineMediaOptions().CacheSizeLimitBytes, status.CacheLimitBytes);
        Assert.Equal(_storage.AvailableBytes, status.DeviceFreeBytes);
        Assert.False(status.IsDeviceStorageLow);
    }

    [Theory]
    [InlineData(-1, true)]
    [InlineData(0, false)]
    public async Task GetStorageStatusAsync_FreeBytesAroundTheReservePlusTheMargin_IsLowJustBelowAndRaisesLowStorage(long offset, bool low)
    {
        _storage.AvailableBytes = Reserve + StorageBudget.LowStorageMargin + offset;
        var raised = new List<StorageStatus>();
        Manager.LowStorage += (_, s) => raised.Add(s);

        var status = await Manager.GetStorageStatusAsync();

        Assert.Equal(low, status.IsDeviceStorageLow);
        Assert.Equal(low, status.ShouldOfferCleanup);
        Assert.Equal(low ? 1 : 0, raised.Count);
    }

    [Fact]
    public async Task UpdateSettingsAsync_LowerLimit_TrimsToTheNewLimitOnce()
    {
        var lower = 100L * 1024 * 1024;

        await Manager.UpdateSettingsAsync(Manager.Settings with { CacheSizeLimitBytes = lower });

        await _cache.Received(1).TrimAsync(lower, Arg.Any<CancellationToken>());
        Assert.Equal(lower, Options.CurrentValue.CacheSizeLimitBytes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task UpdateSettingsAsync_SameOrHigherLimit_DoesNotTrim(long gibibytesMore)
    {
        var limit = Manager.Settings.CacheSizeLimitBytes + (gibibytesMore * 1024 * 1024 * 1024);

        await Manager.UpdateSettingsAsync(Manager.Settings with { CacheSizeLimitBytes = limit, Strategy = SyncStrategy.Manual });

        await _cache.DidNotReceiveWithAnyArgs().TrimAsync(default, default);
        Assert.Equal(limit, Manager.Settings.CacheSizeLimitBytes);
        Assert.Equal(SyncStrategy.Manual, Manager.Settings.Strategy);
    }

    [Fact]
    public async Task UpdateSettingsAsync_OutOfRange_NeitherSavesNorTrims()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Manager.UpdateSettingsAsync(Manager.Settings with { CacheSizeLimitBytes = 0 }));

        Assert.Contains("CacheSizeLimitBytes", error.Message, StringComparison.Ordinal);
        await _cache.DidNotReceiveWithAnyArgs().TrimAsync(default, default);
        Assert.False(_fileSystem.File.Exists(Path.Combine(s_directory, "settings.json")));
    }

    [Fact]
    public async Task UpdateSettingsAsync_Null_Throws() =>
        await Assert.ThrowsAsync<ArgumentNullException>(() => Manager.UpdateSettingsAsync(null!));

    [Fact]
    public void Events_RaisedByTheSdk_ReachTheAppWithTheManagerAsSender()
    {
        var manager = Manager;
        var senders = new List<object?>();
        manager.SyncStateChanged += (sender, _) => senders.Add(sender);
        manager.SyncProgressChanged += (sender, _) => senders.Add(sender);
        manager.AvailabilityChanged += (sender, _) => senders.Add(sender);

        Hub.SetState(SyncState.Running);
        Hub.Progress(new SyncProgress { FilesDone = 0, FilesTotal = 1, BytesDone = 0, BytesTotal = 1, BytesPerSecond = 0 });
        Hub.Availability(new WorkoutSyncState
        {
            WorkoutId = "w-1",
            Name = "Legs",
            ScheduledAt = DateTimeOffset.UnixEpoch,
            Availability = WorkoutAvailability.None,
            FilesPlanned = 1,
            FilesCached = 0,
            BytesCached = 0,
            BytesMissing = 1,
        });

        Assert.Equal(3, senders.Count);
        Assert.All(senders, s => Assert.Same(manager, s));
        Assert.Equal(SyncState.Running, manager.SyncState);
    }

    [Fact]
    public void AvailabilityChanged_NobodyListensOnTheManager_TheSyncIsNotAskedToComputeAvailability()
    {
        var manager = Manager;
        EventHandler<WorkoutAvailabilityChangedEventArgs> handler = (_, _) => { };

        var before = Hub.WantsAvailability;
        manager.AvailabilityChanged += handler;
        var during = Hub.WantsAvailability;
        manager.AvailabilityChanged -= handler;

        Assert.False(before);
        Assert.True(during);
        Assert.False(Hub.WantsAvailability);
    }

    [Fact]
    public void Dispose_StopsForwardingTheSdksEvents()
    {
        var manager = _provider.GetRequiredService<DefaultOfflineMediaManager>();
        var states = new List<SyncState>();
        manager.SyncStateChanged += (_, s) => states.Add(s);
        manager.AvailabilityChanged += (_, _) => { };

        manager.Dispose();
        manager.Dispose();
        Hub.SetState(SyncState.Running);

        Assert.Empty(states);
        Assert.False(Hub.WantsAvailability);
    }
}
