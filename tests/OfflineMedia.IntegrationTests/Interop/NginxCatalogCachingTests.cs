using Microsoft.Extensions.Time.Testing;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;

namespace OfflineMedia.IntegrationTests.Interop;

/// <summary>
/// The catalog's own answers are cached as media are, with nginx as the referee: asked for conditionally when stale (a 304
/// moves no body), not asked for while fresh, never asked for twice in one sync, and remembered across a restart.
/// </summary>
public sealed class NginxCatalogCachingTests : NginxTestBase
{
    [Fact]
    public async Task SyncUpcoming_NextDayAfterARestart_AsksForEveryCatalogAnswerConditionallyAndGets304sWithNoBody()
    {
        var time = new FakeTimeProvider(Now);
        var nginx = await StartNginxAsync();
        await using (var first = NewSyncHost(nginx.BaseAddress, time: time))
        {
            Assert.Equal(SyncOutcome.Complete, (await first.Scheduler.SyncUpcomingAsync()).Outcome);
        }

        var firstRun = await nginx.SettledRequestsAsync();
        time.Advance(TimeSpan.FromHours(25));
        await using var restarted = NewSyncHost(nginx.BaseAddress, time: time);
        var next = await restarted.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Complete, next.Outcome);
        var api = (await nginx.SettledRequestsAsync()).Skip(firstRun.Count).Where(r => !r.IsMedia).ToList();
        Assert.NotEmpty(api);
        Assert.Equal(firstRun.Where(r => !r.IsMedia).Select(r => r.Target).Order(StringComparer.Ordinal), api.Select(r => r.Target).Order(StringComparer.Ordinal));
        Assert.All(api, r => Assert.Equal((304, 0L), (r.Status, r.BodyBytesSent)));
        Assert.All(api, r => Assert.Equal(Assert.Single(firstRun, f => f.Target == r.Target).ETag, r.IfNoneMatch));
    }

    [Fact]
    public async Task SyncUpcoming_CatalogFreshForTenMinutes_ASyncAMinuteLaterAsksTheApiNothing()
    {
        var time = new FakeTimeProvider(Now);
        var nginx = await StartNginxAsync(new NginxOptions { Server = """add_header Cache-Control "max-age=600";""" });
        var host = NewSyncHost(nginx.BaseAddress, time: time);
        Assert.Equal(SyncOutcome.Complete, (await host.Scheduler.SyncUpcomingAsync()).Outcome);
        var firstRun = (await nginx.SettledRequestsAsync()).Count;

        time.Advance(TimeSpan.FromMinutes(1));
        var next = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Complete, next.Outcome);
        Assert.Empty((await nginx.SettledRequestsAsync()).Skip(firstRun));
    }

    [Fact]
    public async Task SyncUpcoming_OneSync_AsksForEachCatalogAnswerOnce()
    {
        var nginx = await StartNginxAsync();
        var host = NewSyncHost(nginx.BaseAddress);

        Assert.Equal(SyncOutcome.Complete, (await host.Scheduler.SyncUpcomingAsync()).Outcome);

        var api = (await nginx.SettledRequestsAsync()).Where(r => !r.IsMedia).ToList();
        Assert.NotEmpty(api);
        Assert.Equal(api.Count, api.Select(r => r.Target).Distinct(StringComparer.Ordinal).Count());
    }
}
