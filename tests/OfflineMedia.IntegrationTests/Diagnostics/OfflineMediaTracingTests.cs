using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OfflineMedia.Diagnostics;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Diagnostics;

/// <summary>
/// The SDK's traces, against an origin whose media JSON lists signed CDN URLs (<c>?sig=…&amp;exp=…</c>): the
/// activities are there with their tags, and neither a tag nor a log message ever carries the signature.
/// </summary>
public sealed class OfflineMediaTracingTests : OriginTestBase
{
    protected override FakeMediaOriginOptions OriginOptions => new() { MediaUrlStyle = FakeMediaUrlStyle.SignedCdn };

    protected override FakeMediaCatalog CreateCatalog() => new FakeMediaCatalog()
        .AddPhoneExercise("squat")
        .AddPhoneExercise("lunge", image: 3_000, video: 30_000, poster: 1_500)
        .AddPhoneExercise("plank", image: 5_000, video: 20_000, poster: 1_000)
        .AddWorkout("w-1", "Legs", DateTimeOffset.UtcNow.AddHours(2), "squat", "lunge", "plank");

    [Fact]
    public async Task Activities_ASync_AreOneSyncActivityWithADownloadActivityPerFile()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        using var activities = new Recorder(host);

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        var sync = Assert.Single(activities.Stopped, a => a.OperationName == OfflineMediaDiagnostics.SyncActivity);
        Assert.Equal(nameof(SyncOutcome.Complete), sync.GetTagItem("sync.outcome"));
        Assert.Equal(9, sync.GetTagItem("sync.files.downloaded"));
        Assert.Equal(0, sync.GetTagItem("sync.files.failed"));

        var downloads = activities.Stopped.Where(a => a.OperationName == OfflineMediaDiagnostics.DownloadActivity).ToList();
        Assert.Equal(9, downloads.Count);
        Assert.All(downloads, d => Assert.Equal(sync.TraceId, d.TraceId));
        Assert.All(downloads, d => Assert.Equal(sync.SpanId, d.ParentSpanId));
        foreach (var item in report.Items)
        {
            var download = Assert.Single(downloads, d =>
                Equals(d.GetTagItem("exercise.id"), item.Key.ExerciseId) && Equals(d.GetTagItem("media.variant"), item.Key.Variant)
                && Equals(d.GetTagItem("media.kind"), item.Key.Kind == MediaKind.Image ? "image" : "video"));
            var variant = Origin.Catalog.VariantOf(item.Key);
            Assert.Equal(variant.SizeBytes, download.GetTagItem("media.bytes"));
            var urlPath = Assert.IsType<string>(download.GetTagItem("url.path"));
            Assert.EndsWith("/cdn" + variant.Path["/media".Length..], urlPath, StringComparison.Ordinal);
            Assert.DoesNotContain('?', urlPath);
        }
    }

    [Fact]
    public async Task ActivitiesAndLogs_SignedCdnUrlsWithFailuresAndRetries_NeverHoldTheSignature()
    {
        Origin.Faults.Set(CdnPath("squat", FakeMediaKind.Video, MediaVariantNames.Video720p), FakeFault.Status(500));
        Origin.Faults.Set(CdnPath("lunge", FakeMediaKind.Image, MediaVariantNames.Medium), FakeFault.Corrupt());
        Origin.Faults.Set(CdnPath("plank", FakeMediaKind.Video, MediaVariantNames.Video720p), FakeFault.DropAfter(5_000) with { Times = 1 });
        await using var host = new SyncHost(Root, Origin.BaseAddress, o => o.MaxDownloadAttempts = 2);
        using var activities = new Recorder(host);

        var report = await host.Scheduler.SyncUpcomingAsync();
        var failedDownload = await Record.ExceptionAsync(() =>
            host.Cache.GetOrDownloadAsync(
                new("squat", MediaKind.Video, MediaVariantNames.Video720p),
                new(Origin.GetSignedCdnUri(Origin.Catalog.GetVariant("squat", FakeMediaKind.Video, MediaVariantNames.Video720p)).AbsoluteUri)));

        // The URLs really were signed, and the failures really happened and were logged.
        Assert.Contains(Origin.Requests.All, r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal) && r.Query.Contains("sig=", StringComparison.Ordinal));
        Assert.Equal(SyncOutcome.Partial, report.Outcome);
        Assert.Equal(2, report.Failed);
        Assert.NotNull(failedDownload);
        Assert.Contains(host.Logs.GetSnapshot(), e => e.Message.Contains("/cdn/", StringComparison.Ordinal));
        Assert.Contains(activities.Stopped, a => a.Status == ActivityStatusCode.Error);

        foreach (var activity in activities.Stopped)
        {
            AssertNoSignature($"{activity.OperationName} display name", activity.DisplayName);
            AssertNoSignature($"{activity.OperationName} status", activity.StatusDescription);
            foreach (var (name, value) in activity.TagObjects)
            {
                AssertNoSignature($"{activity.OperationName} tag {name}", value?.ToString());
            }
        }

        foreach (var entry in host.Logs.GetSnapshot())
        {
            AssertNoSignature($"log {entry.Id}", entry.Message);
            AssertNoSignature($"log {entry.Id} exception", entry.Exception?.ToString());
        }

        foreach (var item in report.Items)
        {
            AssertNoSignature($"reason of {item.Key}", item.Reason);
        }

        AssertNoSignature("exception", failedDownload.ToString());
    }

    /// <summary>Where the origin serves a variant under a signed CDN URL (its path, without the query).</summary>
    private string CdnPath(string exerciseId, FakeMediaKind group, string variant) =>
        "/cdn" + Origin.Catalog.GetVariant(exerciseId, group, variant).Path["/media".Length..];

    private static void AssertNoSignature(string where, string? text)
    {
        if (text is not null)
        {
            Assert.False(text.Contains("sig=", StringComparison.Ordinal) || text.Contains("exp=", StringComparison.Ordinal), $"The {where} holds a signed URL's query: {text}");
        }
    }

    /// <summary>Records the activities of one host's activity source (other hosts in parallel tests use the same name).</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly ConcurrentQueue<Activity> _stopped = new();
        private readonly ActivityListener _listener;

        public Recorder(SyncHost host)
        {
            var source = host.Services.GetRequiredService<OfflineMediaTelemetry>().ActivitySource;
            Assert.Equal(OfflineMediaDiagnostics.ActivitySourceName, source.Name);
            _listener = new ActivityListener
            {
                ShouldListenTo = s => ReferenceEquals(s, source),
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyList<Activity> Stopped => [.. _stopped];

        public void Dispose() => _listener.Dispose();
    }
}
