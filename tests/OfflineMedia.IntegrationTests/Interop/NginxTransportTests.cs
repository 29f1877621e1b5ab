using System.Diagnostics;
using System.IO.Compression;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Interop;

/// <summary>
/// How nginx delivers, as deployed origins do: paced by <c>limit_rate</c>, the catalog gzipped, media redirected to a
/// second server (a CDN), and HTTP/2 over TLS. Each ends with every file byte for byte the one nginx serves.
/// </summary>
public sealed class NginxTransportTests : NginxTestBase
{
    private const long SlowVideoBytes = 1_000_000;

    protected override FakeMediaCatalog CreateCatalog() => FakeMediaCatalog.CreateWeek(Now, scale: 500)
        .AddPhoneExercise("slow", video: SlowVideoBytes, form: FakeVariantForm.PlainUrl)
        .AddWorkout("w-slow", "Slow", Now.AddHours(3), "slow");

    [Fact]
    public async Task SyncWorkout_NginxLimitRateSlowerThanTheStallTimeoutPerFile_CompletesWithOneGetPerFile()
    {
        // About 4 s for the video, twice the stall timeout: the deadline is per read and a minimum rate, not per body.
        var nginx = await StartNginxAsync(new NginxOptions { Server = "location /media/ { limit_rate 256k; }" });
        var host = NewSyncHost(nginx.BaseAddress, o => o.DownloadStallTimeout = TimeSpan.FromSeconds(2));
        var clock = Stopwatch.StartNew();

        var report = await host.Scheduler.SyncWorkoutAsync("w-slow").WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        AssertByteIdentical(report);
        var media = (await nginx.SettledRequestsAsync()).Where(r => r.IsMedia).ToList();
        Assert.Equal(report.Items.Count, media.Count); // No retry, no resume: nginx's pacing never looked like a stall.
        Assert.All(media, r => Assert.Equal((200, true), (r.Status, r.Completed)));
        var video = Assert.Single(media, r => r.BodyBytesSent == SlowVideoBytes);
        Assert.True(video.Seconds > 2, $"nginx sent the video in {video.Seconds} s: limit_rate was not in force");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the sync took {clock.Elapsed}");
    }

    [Fact]
    public async Task SyncUpcoming_NginxGzipsTheCatalog_TheApiClientAsksForGzipAndReadsIt()
    {
        var nginx = await StartNginxAsync(new NginxOptions { Http = "gzip on; gzip_types application/json; gzip_min_length 0; gzip_vary on;" });
        var host = NewSyncHost(nginx.BaseAddress);

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        AssertByteIdentical(report);
        var api = (await nginx.SettledRequestsAsync()).Where(r => !r.IsMedia).ToList();
        Assert.NotEmpty(api);
        Assert.All(api, r =>
        {
            Assert.Equal(200, r.Status);
            Assert.Contains("gzip", r.AcceptEncoding ?? "(none)", StringComparison.Ordinal);
            Assert.Equal("gzip", r.ContentEncoding);
            var json = new FileInfo(Path.Combine(Site.Root, r.Path.TrimStart('/') + ".json")).Length;
            Assert.True(r.BodyBytesSent < json, $"{r.Target}: {r.BodyBytesSent} bytes sent for a {json}-byte file");
        });
    }

    [Fact]
    public async Task SyncUpcoming_GzippedCatalogInflatingPastTheSizeCap_FailsWithTheCapAsReason()
    {
        // 9 MiB of JSON in about 9 KB on the wire: the cap must count the bytes inflated, not the bytes received.
        await using (var gzip = new GZipStream(File.Create(Path.Combine(Site.Root, "api/workouts/upcoming.json.gz")), CompressionLevel.SmallestSize))
        {
            gzip.Write("["u8);
            var spaces = new byte[1024 * 1024];
            spaces.AsSpan().Fill((byte)' ');
            for (var i = 0; i < 9; i++)
            {
                gzip.Write(spaces);
            }

            gzip.Write("]"u8);
        }

        var nginx = await StartNginxAsync(new NginxOptions { Http = "gzip_static on;" }); // Serves the .gz file to who accepts gzip.

        var report = await NewSyncHost(nginx.BaseAddress).Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Failed, report.Outcome);
        Assert.Contains("upcoming workouts", report.Reason, StringComparison.Ordinal);
        Assert.Contains("over the 8388608 bytes read at most", report.Reason, StringComparison.Ordinal);
        var request = Assert.Single(await nginx.SettledRequestsAsync());
        Assert.Equal(("gzip", 200), (request.ContentEncoding, request.Status));
        Assert.True(request.BodyBytesSent < 100_000, $"{request.BodyBytesSent} bytes sent");
    }

    [Fact]
    public async Task SyncUpcoming_NginxRedirectsMediaToASecondNginx_FilesComeFromTheCdn()
    {
        var cdn = await StartNginxAsync(new NginxOptions { ServeApi = false });
        var origin = await StartNginxAsync(new NginxOptions
        {
            Server = $"location /media/ {{ return 302 {cdn.BaseAddress.AbsoluteUri.TrimEnd('/')}$request_uri; }}",
        });
        var host = NewSyncHost(origin.BaseAddress);

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        AssertByteIdentical(report);
        var redirected = (await origin.SettledRequestsAsync()).Where(r => r.IsMedia).ToList();
        var served = await cdn.SettledRequestsAsync();
        Assert.Equal(report.Items.Count, redirected.Count);
        Assert.All(redirected, r => Assert.Equal((302, null), (r.Status, r.Range)));
        Assert.Equal(redirected.Select(r => r.Path).Order(StringComparer.Ordinal), served.Select(r => r.Path).Order(StringComparer.Ordinal));
        Assert.All(served, r => Assert.Equal((200, true), (r.Status, r.Completed)));
    }

    [Fact]
    public async Task SyncUpcoming_NginxOverTlsWithHttp2_EveryRequestIsHttp2()
    {
        using var certificate = TestCertificate.Create(Path.Combine(Temp.Path, "tls"));
        var nginx = await StartNginxAsync(new NginxOptions { Tls = certificate });
        await using var host = new SyncHost(Root, nginx.BaseAddress, adapt: Trusting(certificate));

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        AssertByteIdentical(report);
        var requests = await nginx.SettledRequestsAsync();
        Assert.Contains(requests, r => r.IsMedia);
        Assert.Contains(requests, r => !r.IsMedia);
        Assert.All(requests, r => Assert.Equal("HTTP/2.0", r.Protocol));
    }
}
