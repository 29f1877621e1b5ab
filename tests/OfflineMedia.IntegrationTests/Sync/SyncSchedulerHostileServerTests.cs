using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Sync;

/// <summary>
/// A sync against a server that tries to keep it running forever (trickling bytes, never answering, one more byte
/// per try, a long Retry-After) or to send it somewhere else: every file ends with its reason in the report, the
/// sync ends, and what was received stays to be resumed. The options are set small so each test takes seconds.
/// </summary>
public sealed class SyncSchedulerHostileServerTests : TempFolderTestBase
{
    /// <summary>Bounds every sync: before these deadlines each of them ran for minutes or forever; a test must fail, not hang.</summary>
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SyncUpcoming_MediaTrickledAByteAtATime_FailsTheFileAsTooSlowAndKeepsWhatArrived()
    {
        await using var server = await StartAsync(async (context, self, _) =>
        {
            context.Response.ContentType = "image/jpeg";
            context.Response.ContentLength = 100_000;
            context.Response.Headers.ETag = "\"v1\"";
            await self.TrickleAsync(context, TimeSpan.FromMilliseconds(50));
        });
        await using var host = CreateHost(server, o =>
        {
            o.DownloadStallTimeout = TimeSpan.FromSeconds(1);
            o.MinimumDownloadBytesPerSecond = 1000;
            o.MaxDownloadAttempts = 2;
        });

        var report = await host.Scheduler.SyncUpcomingAsync().WaitAsync(s_bound);

        Assert.Equal(SyncOutcome.Failed, report.Outcome);
        var item = report.Item(Key("e1"));
        Assert.Equal(SyncItemOutcome.Failed, item.Outcome);
        Assert.Equal(MediaCacheError.Network, item.Error);
        Assert.Contains("the body came too slowly", item.Reason, StringComparison.Ordinal);
        Assert.Contains("under the minimum of 1000 bytes/s", item.Reason, StringComparison.Ordinal);
        Assert.Equal(2, MediaRequests(server));
        await SyncOrigin.WaitForReleasedPartialsAsync(Root);
        Assert.InRange(new FileInfo(Assert.Single(CacheFolder.PartialFiles(Root))).Length, 1, 100);
    }

    [Fact]
    public async Task SyncUpcoming_MediaHeadersNeverSent_FailsEachTryAfterTheStallTimeout()
    {
        await using var server = await StartAsync((context, self, _) => self.HangAsync(context));
        await using var host = CreateHost(server, o =>
        {
            o.DownloadStallTimeout = TimeSpan.FromSeconds(1);
            o.MaxDownloadAttempts = 2;
        });

        var report = await host.Scheduler.SyncUpcomingAsync().WaitAsync(s_bound);

        var item = report.Item(Key("e1"));
        Assert.Equal(SyncItemOutcome.Failed, item.Outcome);
        Assert.Equal(MediaCacheError.Network, item.Error);
        Assert.Contains("the server sent no response headers within 1 s", item.Reason, StringComparison.Ordinal);
        Assert.Equal(2, MediaRequests(server));
    }

    [Fact]
    public async Task SyncUpcoming_OneMoreByteEachTryThenADrop_StopsAtMaxDownloadAttempts()
    {
        var body = HostileServer.Body(100_000, seed: 1);
        await using var server = await StartAsync((context, _, attempt) =>
        {
            context.Response.ContentType = "image/jpeg";
            context.Response.ContentLength = body.Length;
            return HostileServer.SendThenDropAsync(context, body.AsMemory(0, attempt));
        });
        await using var host = CreateHost(server, o => o.MaxDownloadAttempts = 3);

        var report = await host.Scheduler.SyncUpcomingAsync().WaitAsync(s_bound);

        var item = report.Item(Key("e1"));
        Assert.Equal(SyncItemOutcome.Failed, item.Outcome);
        Assert.Contains("the connection dropped after 3 of 100000 bytes", item.Reason, StringComparison.Ordinal);
        Assert.Equal(3, MediaRequests(server));
    }

    [Fact]
    public async Task SyncUpcoming_RetryAfterBeyondMaxRetryAfter_FailsAtOnceSayingWhenToComeBack()
    {
        await using var server = await StartAsync((context, _, _) =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "119";
            return Task.CompletedTask;
        });
        await using var host = CreateHost(server, o => o.MaxRetryAfter = TimeSpan.FromSeconds(30));
        var before = host.Time.GetUtcNow();

        var report = await host.Scheduler.SyncUpcomingAsync().WaitAsync(s_bound);

        var item = report.Item(Key("e1"));
        Assert.Equal(SyncItemOutcome.Failed, item.Outcome);
        Assert.Equal(MediaCacheError.HttpStatus, item.Error);
        Assert.Contains("503", item.Reason, StringComparison.Ordinal);
        Assert.Contains("The server asked to be tried again in 119 s (at ", item.Reason, StringComparison.Ordinal);
        Assert.Contains("longer than a sync waits (MaxRetryAfter, 00:00:30)", item.Reason, StringComparison.Ordinal);
        var reason = item.Reason!;
        var at = DateTimeOffset.Parse(reason[(reason.IndexOf("(at ", StringComparison.Ordinal) + 4)..reason.IndexOf("), longer", StringComparison.Ordinal)], CultureInfo.InvariantCulture);
        Assert.InRange(at, before.AddSeconds(118), before.AddSeconds(119) + s_bound);
        Assert.Equal(1, MediaRequests(server));
    }

    [Fact]
    public async Task SyncUpcoming_SyncTimeoutPasses_FailsWhatIsNotDoneAndTheNextSyncResumesIt()
    {
        var fine = HostileServer.Body(3_000, seed: 2);
        var slow = HostileServer.Body(100_000, seed: 3);
        var healed = false;
        await using var server = await StartAsync(async (context, self, _) =>
        {
            context.Response.ContentType = "image/jpeg";
            if (context.Request.Path.Value!.Contains("fine", StringComparison.Ordinal))
            {
                await context.Response.Body.WriteAsync(fine);
                return;
            }

            context.Response.Headers.ETag = "\"v1\"";
            if (healed && context.Request.Headers.Range == "bytes=50000-")
            {
                context.Response.StatusCode = StatusCodes.Status206PartialContent;
                context.Response.Headers.ContentRange = $"bytes 50000-99999/{slow.Length}";
                await context.Response.Body.WriteAsync(slow.AsMemory(50_000));
                return;
            }

            // Half the body, then nothing: within the stall timeout, so only the sync's own limit ends it.
            context.Response.ContentLength = slow.Length;
            await context.Response.Body.WriteAsync(slow.AsMemory(0, 50_000));
            await context.Response.Body.FlushAsync();
            await self.HangAsync(context);
        }, "fine", "slow");
        await using var host = CreateHost(server, o => o.SyncTimeout = TimeSpan.FromSeconds(5));

        var report = await host.Scheduler.SyncUpcomingAsync().WaitAsync(s_bound);

        Assert.Equal(SyncOutcome.Partial, report.Outcome);
        Assert.Equal(SyncItemOutcome.Downloaded, report.Item(Key("fine")).Outcome);
        var item = report.Item(Key("slow"));
        Assert.Equal(SyncItemOutcome.Failed, item.Outcome);
        Assert.Contains("the sync reached its time limit (SyncTimeout, 00:00:05)", item.Reason, StringComparison.Ordinal);
        await SyncOrigin.WaitForReleasedPartialsAsync(Root);
        Assert.Equal(50_000, new FileInfo(Assert.Single(CacheFolder.PartialFiles(Root))).Length);

        healed = true;
        var next = await host.Scheduler.SyncUpcomingAsync().WaitAsync(s_bound);

        Assert.Equal(SyncOutcome.Complete, next.Outcome);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(slow)), CacheFolder.Sha256(next.Item(Key("slow")).LocalPath!));
        Assert.Equal("bytes=50000-", server.Requests.Last(r => r.PathAndQuery.Contains("slow.jpg", StringComparison.Ordinal)).Range);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("file://localhost/etc/passwd")]
    [InlineData("ftp://127.0.0.1:{port}/api/workouts/upcoming?days=7&served=1")]
    public async Task SyncUpcoming_ApiRedirectsToANonHttpUrl_ReportsFailedWithTheReason(string location)
    {
        await using var server = await StartAsync((context, self, _) =>
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = location.Replace("{port}", self.BaseAddress.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            return Task.CompletedTask;
        }, redirectApi: true);
        await using var host = CreateHost(server);

        var report = await host.Scheduler.SyncUpcomingAsync().WaitAsync(s_bound);

        Assert.Equal(SyncOutcome.Failed, report.Outcome);
        Assert.Contains("a redirect led to a", report.Reason, StringComparison.Ordinal);
        Assert.Contains("only http and https are fetched", report.Reason, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    private static MediaKey Key(string exerciseId) => new(exerciseId, MediaKind.Image, MediaVariantNames.Medium);

    private static int MediaRequests(HostileServer server) => server.Requests.Count(r => r.PathAndQuery.StartsWith("/media/", StringComparison.Ordinal));

    /// <summary>
    /// A server with a well-behaved API (one workout of <paramref name="exerciseIds"/>, each offering a medium image at
    /// <c>/media/{id}.jpg</c>) and <paramref name="media"/> answering the media, given the number of the media request.
    /// With <paramref name="redirectApi"/>, <paramref name="media"/> answers the upcoming workouts too (unless asked for them with <c>served</c>).
    /// </summary>
    private static Task<HostileServer> StartAsync(Func<HttpContext, HostileServer, int, Task> media, params string[] exerciseIds) =>
        StartAsync(media, redirectApi: false, exerciseIds);

    private static Task<HostileServer> StartAsync(Func<HttpContext, HostileServer, int, Task> media, bool redirectApi, params string[] exerciseIds)
    {
        var ids = exerciseIds.Length == 0 ? ["e1"] : exerciseIds;
        var mediaRequests = 0;
        return HostileServer.StartAsync((context, self) =>
        {
            var path = context.Request.Path.Value!;
            if (path == "/api/workouts/upcoming" && (!redirectApi || context.Request.Query.ContainsKey("served")))
            {
                return HostileServer.JsonAsync(context, HostileServer.UpcomingJson(ids));
            }

            if (path.StartsWith("/api/exercises/", StringComparison.Ordinal))
            {
                var id = path.Split('/')[3];
                return HostileServer.JsonAsync(context, HostileServer.MediaJson($"/media/{id}.jpg"));
            }

            return media(context, self, Interlocked.Increment(ref mediaRequests));
        });
    }

    private SyncHost CreateHost(HostileServer server, Action<OfflineMediaOptions>? configure = null) =>
        NewSyncHost(server.BaseAddress, configure);
}
