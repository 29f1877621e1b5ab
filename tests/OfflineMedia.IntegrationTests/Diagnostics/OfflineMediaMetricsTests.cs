using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OfflineMedia.Cache;
using OfflineMedia.Diagnostics;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Diagnostics;

/// <summary>The SDK's metrics, read as an app's telemetry would read them: through the host's <see cref="IMeterFactory"/>.</summary>
public sealed class OfflineMediaMetricsTests : OriginTestBase
{
    protected override FakeMediaCatalog CreateCatalog() => new FakeMediaCatalog()
        .AddPhoneExercise("squat")
        .AddPhoneExercise("lunge", image: 3_000, video: 30_000, poster: 1_500)
        .AddWorkout("w-1", "Legs", DateTimeOffset.UtcNow.AddHours(2), "squat", "lunge");

    [Fact]
    public async Task DownloadedBytes_AfterASync_EqualTheSumOfTheFileSizesByKind()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        using var bytes = Collect<long>(host, OfflineMediaDiagnostics.DownloadedBytes);

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        var measurements = bytes.GetMeasurementSnapshot();
        Assert.Equal(6, measurements.Count);
        var onDisk = report.Items.Sum(i => new FileInfo(i.LocalPath!).Length);
        Assert.Equal(onDisk, measurements.Sum(m => m.Value));
        var videoBytes = report.Items.Where(i => i.Key.Kind == MediaKind.Video).Sum(i => new FileInfo(i.LocalPath!).Length);
        Assert.Equal(videoBytes, measurements.Where(m => Equals(m.Tags["media.kind"], "video")).Sum(m => m.Value));
        Assert.Equal(onDisk - videoBytes, measurements.Where(m => Equals(m.Tags["media.kind"], "image")).Sum(m => m.Value));
    }

    [Fact]
    public async Task CacheHitsAndMisses_TryGetAsync_AreCountedPerLookupWithTheKind()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        var image = Origin.Catalog.GetVariant("squat", FakeMediaKind.Image, "medium");
        await host.CacheAsync(image);
        using var hits = Collect<long>(host, OfflineMediaDiagnostics.CacheHits);
        using var misses = Collect<long>(host, OfflineMediaDiagnostics.CacheMisses);

        Assert.NotNull(await host.Cache.TryGetAsync(image.ToKey()));
        Assert.NotNull(await host.Cache.TryGetAsync(image.ToKey()));
        Assert.Null(await host.Cache.TryGetAsync(new MediaKey("squat", MediaKind.Video, MediaVariantNames.Video720p)));

        var hit = hits.GetMeasurementSnapshot();
        var miss = Assert.Single(misses.GetMeasurementSnapshot());
        Assert.Equal(2, hit.Sum(m => m.Value));
        Assert.All(hit, m => Assert.Equal("image", m.Tags["media.kind"]));
        Assert.Equal(1, miss.Value);
        Assert.Equal("video", miss.Tags["media.kind"]);
    }

    [Fact]
    public async Task Evictions_AfterATrim_CountTheEvictedFiles()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        foreach (var name in new[] { "thumbnail", "medium", "large" })
        {
            await host.CacheAsync(Origin.Catalog.GetVariant("squat", FakeMediaKind.Image, name));
        }

        using var evictions = Collect<long>(host, OfflineMediaDiagnostics.Evictions);

        var nothing = await host.Cache.TrimAsync(long.MaxValue / 2);
        var trim = await host.Cache.TrimAsync(1_000);

        Assert.Equal(0, nothing.EvictedCount);
        Assert.True(trim.EvictedCount >= 2, $"{trim.EvictedCount} evicted.");
        Assert.Equal(trim.EvictedCount, evictions.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task DownloadFailures_ServerError_AreCountedWithTheErrorType()
    {
        var video = Origin.Catalog.GetVariant("squat", FakeMediaKind.Video, MediaVariantNames.Video720p);
        Origin.Faults.Set(video, FakeFault.Status(500));
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        using var failures = Collect<long>(host, OfflineMediaDiagnostics.DownloadFailures);
        using var bytes = Collect<long>(host, OfflineMediaDiagnostics.DownloadedBytes);

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.CacheAsync(video));

        Assert.Equal(MediaCacheError.HttpStatus, error.Error);
        var failure = Assert.Single(failures.GetMeasurementSnapshot());
        Assert.Equal(1, failure.Value);
        Assert.Equal(nameof(MediaCacheError.HttpStatus), failure.Tags["error.type"]);
        Assert.Equal("video", failure.Tags["media.kind"]);
        Assert.Empty(bytes.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task SyncDuration_AfterASync_IsRecordedWithTheOutcome()
    {
        Origin.Faults.Set(Origin.Catalog.GetVariant("lunge", FakeMediaKind.Video, MediaVariantNames.Video720p), FakeFault.Status(500));
        await using var host = new SyncHost(Root, Origin.BaseAddress, o => o.MaxDownloadAttempts = 1);
        using var durations = Collect<double>(host, OfflineMediaDiagnostics.SyncDuration);

        var partial = await host.Scheduler.SyncUpcomingAsync();
        Origin.Faults.ClearAll();
        var complete = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Partial, partial.Outcome);
        Assert.Equal(SyncOutcome.Complete, complete.Outcome);
        var recorded = durations.GetMeasurementSnapshot();
        Assert.Equal(2, recorded.Count);
        Assert.Equal(nameof(SyncOutcome.Partial), recorded[0].Tags["sync.outcome"]);
        Assert.Equal(nameof(SyncOutcome.Complete), recorded[1].Tags["sync.outcome"]);
        Assert.All(recorded, m => Assert.InRange(m.Value, 0.000_001, 30));
        Assert.Equal(partial.Duration.TotalSeconds, recorded[0].Value, 3);
    }

    private static MetricCollector<T> Collect<T>(SyncHost host, string instrument)
        where T : struct =>
        new(host.Services.GetRequiredService<IMeterFactory>(), OfflineMediaDiagnostics.MeterName, instrument);
}
