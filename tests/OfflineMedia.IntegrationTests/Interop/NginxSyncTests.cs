using Microsoft.Extensions.Time.Testing;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Interop;

/// <summary>
/// A week synced from nginx, a static server whose validators (ETag of mtime and size, Last-Modified) and 304 rules the SDK
/// must take as they come: the files are the ones nginx serves, and a rerun or a revalidation moves no body.
/// </summary>
public sealed class NginxSyncTests : NginxTestBase
{
    [Fact]
    public async Task SyncUpcoming_FromNginx_CachesEveryFileByteIdenticalWithOneCompleteGetEach()
    {
        var nginx = await StartNginxAsync();
        var host = NewSyncHost(nginx.BaseAddress);

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.All(report.Items, i => Assert.Equal(SyncItemOutcome.Downloaded, i.Outcome));
        AssertByteIdentical(report);
        var media = (await nginx.SettledRequestsAsync()).Where(r => r.IsMedia).ToList();
        Assert.Equal(report.Items.Count, media.Count);
        Assert.All(media, r =>
        {
            Assert.Equal((200, true, null), (r.Status, r.Completed, r.Range));
            Assert.Equal(new FileInfo(Path.Combine(Site.Root, r.Path.TrimStart('/'))).Length, r.BodyBytesSent);
        });
    }

    [Fact]
    public async Task SyncUpcoming_RunAgainAtOnce_AsksNginxForNoMediaBody()
    {
        var nginx = await StartNginxAsync();
        var host = NewSyncHost(nginx.BaseAddress);
        await host.Scheduler.SyncUpcomingAsync();
        var before = (await nginx.SettledRequestsAsync()).Count;

        var again = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Complete, again.Outcome);
        Assert.All(again.Items, i => Assert.Equal(SyncItemOutcome.Cached, i.Outcome));
        var media = (await nginx.SettledRequestsAsync()).Skip(before).Where(r => r.IsMedia).ToList();
        Assert.Empty(media); // Cached within the re-sync interval: not even a conditional request.
    }

    [Fact]
    public async Task SyncUpcoming_NextDay_RevalidatesWithNginxsOwnETagAndGets304sWithNoBody()
    {
        var time = new FakeTimeProvider(Now);
        var nginx = await StartNginxAsync();
        var host = NewSyncHost(nginx.BaseAddress, time: time);
        var first = await host.Scheduler.SyncUpcomingAsync();
        var firstRun = await nginx.SettledRequestsAsync();

        time.Advance(TimeSpan.FromHours(25)); // Past the default re-sync interval of a day.
        var next = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Complete, first.Outcome);
        Assert.Equal(SyncOutcome.Complete, next.Outcome);
        Assert.All(next.Items, i => Assert.Equal(SyncItemOutcome.Cached, i.Outcome));
        var media = (await nginx.SettledRequestsAsync()).Skip(firstRun.Count).Where(r => r.IsMedia).ToList();

        // Plain-URL files carry no digest, so nginx is asked whether they changed; a digest needs no request at all.
        var plain = next.Items.Where(i => Site.Catalog.VariantOf(i.Key).Form == FakeVariantForm.PlainUrl).ToList();
        Assert.NotEmpty(plain);
        Assert.Equal(plain.Count, media.Count);
        Assert.All(media, r =>
        {
            var sent = Assert.Single(firstRun, f => f.IsMedia && f.Path == r.Path);
            Assert.Matches("^\"[0-9a-f]+-[0-9a-f]+\"$", sent.ETag!); // nginx's strong ETag: "{mtime:x}-{size:x}".
            Assert.Equal((304, 0L, sent.ETag), (r.Status, r.BodyBytesSent, r.IfNoneMatch));
        });
    }
}
