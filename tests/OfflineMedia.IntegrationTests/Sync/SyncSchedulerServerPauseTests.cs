using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Sync;

/// <summary>
/// A server's <c>Retry-After</c> holds every request of the sync to that server, not only the file that got it; another
/// server goes on. The videos are on the origin, the images and posters on a "CDN" (a second origin on another port),
/// both listed by a scripted API. One transfer at a time, so each request starts after the last one's answer is in.
/// </summary>
public sealed class SyncSchedulerServerPauseTests : OriginTestBase
{
    private static readonly string[] Later = ["e2", "e3", "e4", "e5"];

    protected override FakeMediaCatalog CreateCatalog()
    {
        var catalog = new FakeMediaCatalog();
        foreach (var id in Later.Prepend("e1"))
        {
            catalog.AddPhoneExercise(id);
        }

        return catalog;
    }

    [Fact]
    public async Task SyncUpcoming_OriginAnswers429WithRetryAfter_NoRequestToTheOriginStartsForThatLongAndTheCdnGoesOn()
    {
        await using var cdn = await FakeMediaOrigin.StartAsync(Origin.Catalog);
        await using var api = await StartApiAsync(cdn);
        var first = Video("e1");
        Origin.Faults.Set(first, FakeFault.Status(429, TimeSpan.FromSeconds(2), times: 1));
        await using var host = new SyncHost(Root, api.BaseAddress, o => o.MaxParallelDownloads = 1);

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        var origin = Origin.Requests.MediaRequests();
        var refused = Assert.Single(origin, r => r.StatusCode == 429);
        Assert.Equal(first.Path, refused.Path);
        var after = origin.Where(r => r != refused).ToList();
        Assert.Equal(5, after.Count); // e1's retry and the four later videos.
        Assert.All(after, r => Assert.True(
            r.Timestamp - refused.Timestamp >= TimeSpan.FromMilliseconds(1950),
            $"{r.Path} was asked {(r.Timestamp - refused.Timestamp).TotalMilliseconds:0} ms after the origin's 429 with Retry-After: 2"));

        // The CDN was not held: the later workout's images and posters came while the origin was paused (with room for a slow machine).
        var cdnDuringPause = cdn.Requests.MediaRequests().Count(r => r.Timestamp > refused.Timestamp && r.Timestamp - refused.Timestamp < TimeSpan.FromMilliseconds(1800));
        Assert.True(cdnDuringPause >= 2, $"{cdnDuringPause} requests to the CDN during the origin's pause");
        Assert.Contains(host.Logs.GetSnapshot(), e => e.Id.Id == 270 && e.Message.Contains(Origin.BaseAddress.Authority, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncUpcoming_OriginAnswers503WithRetryAfterBeyondMaxRetryAfter_ItsOtherFilesFailWithoutARequestAndTheCdnsDownload()
    {
        await using var cdn = await FakeMediaOrigin.StartAsync(Origin.Catalog);
        await using var api = await StartApiAsync(cdn);
        var first = Video("e1");
        Origin.Faults.Set(first, FakeFault.Status(503, TimeSpan.FromMinutes(10)));
        await using var host = new SyncHost(Root, api.BaseAddress, o => o.MaxParallelDownloads = 1);

        var report = await host.Scheduler.SyncUpcomingAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(SyncOutcome.Partial, report.Outcome);
        Assert.Equal(first.Path, Assert.Single(Origin.Requests.MediaRequests()).Path); // One 503, and the origin is left alone.
        foreach (var item in report.Items)
        {
            if (item.Key.Kind == MediaKind.Video && item.Key.Variant == MediaVariantNames.Video720p)
            {
                Assert.Equal(SyncItemOutcome.Failed, item.Outcome);
                Assert.Contains("503", item.Reason, StringComparison.Ordinal);
                Assert.Contains("MaxRetryAfter", item.Reason, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(SyncItemOutcome.Downloaded, item.Outcome);
            }
        }

        Assert.Equal(10, cdn.Requests.MediaRequests().Count);
    }

    private FakeMediaVariant Video(string exerciseId) => Origin.Catalog.GetVariant(exerciseId, FakeMediaKind.Video, MediaVariantNames.Video720p);

    /// <summary>e1 in a workout in two hours, the others tomorrow: e1's files go first. Videos on the origin, images and posters on the CDN.</summary>
    private Task<ScriptedApi> StartApiAsync(FakeMediaOrigin cdn)
    {
        var soon = DateTimeOffset.UtcNow.AddHours(2).ToString("O");
        var tomorrow = DateTimeOffset.UtcNow.AddDays(1).ToString("O");
        var documents = new Dictionary<string, string>
        {
            ["/api/workouts/upcoming"] = $$"""
                [{"id": "w-1", "name": "Soon", "scheduledAt": "{{soon}}", "exercises": [{"id": "e1", "name": "e1"}]},
                 {"id": "w-2", "name": "Later", "scheduledAt": "{{tomorrow}}", "exercises": [{{string.Join(", ", Later.Select(id => $$"""{"id": "{{id}}", "name": "{{id}}"}"""))}}]}]
                """,
        };
        foreach (var id in Later.Prepend("e1"))
        {
            var image = Origin.Catalog.GetVariant(id, FakeMediaKind.Image, MediaVariantNames.Medium);
            var poster = Origin.Catalog.GetVariant(id, FakeMediaKind.Video, MediaVariantNames.Poster);
            documents[$"/api/exercises/{id}/media"] = $$$"""
                {"images": {"medium": {{{Rich(cdn.GetMediaUri(image), image)}}}},
                 "videos": {"720p": {{{Rich(Origin.GetMediaUri(Video(id)), Video(id))}}}, "poster": {{{Rich(cdn.GetMediaUri(poster), poster)}}}}}
                """;
        }

        return ScriptedApi.StartAsync(documents);
    }

    private static string Rich(Uri url, FakeMediaVariant variant) => $$"""{"url": "{{url}}", "bytes": {{variant.SizeBytes}}, "sha256": "{{variant.Sha256}}"}""";
}
