using Microsoft.Extensions.Time.Testing;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Interop;

/// <summary>
/// Freshness as nginx declares it with <c>Cache-Control</c>: a <c>no-cache</c> file is asked about on the next sync (and
/// only a changed one moves a body); a <c>max-age</c>, <c>immutable</c> file costs no request while it is fresh, even past
/// the re-sync interval.
/// </summary>
public sealed class NginxCacheControlTests : NginxTestBase
{
    [Fact]
    public async Task SyncUpcoming_NoCacheMediaChangedBehindItsUrl_NextSyncRevalidatesAndDownloadsOnlyTheChangedFile()
    {
        var time = new FakeTimeProvider(Now);
        var nginx = await StartNginxAsync(new NginxOptions { Server = """location /media/ { add_header Cache-Control "no-cache"; }""" });
        var host = NewSyncHost(nginx.BaseAddress, time: time);
        var first = await host.Scheduler.SyncUpcomingAsync();
        Assert.Equal(SyncOutcome.Complete, first.Outcome);
        var firstRun = (await nginx.SettledRequestsAsync()).Count;
        var changed = first.Items.Select(i => Site.Catalog.VariantOf(i.Key)).First(v => v.Form == FakeVariantForm.PlainUrl);
        await File.WriteAllBytesAsync(Site.FileOf(changed), [.. Enumerable.Range(0, (int)changed.SizeBytes + 1000).Select(i => (byte)(i * 7))]);

        time.Advance(TimeSpan.FromMinutes(1)); // Well within the re-sync interval of a day.
        var next = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Complete, next.Outcome);
        var media = (await nginx.SettledRequestsAsync()).Skip(firstRun).Where(r => r.IsMedia).ToList();
        var synced = next.Items.Select(i => Site.Catalog.VariantOf(i.Key)).Where(v => v.Form == FakeVariantForm.PlainUrl).Select(v => v.Path).ToHashSet();
        Assert.Equal(synced.Order(StringComparer.Ordinal), media.Select(r => r.Path).Order(StringComparer.Ordinal)); // Each plain file asked about once; digests need no request.
        Assert.All(media, r => Assert.NotNull(r.IfNoneMatch));
        var body = Assert.Single(media, r => r.Status == 200);
        Assert.Equal(changed.Path, body.Path);
        Assert.All(media.Where(r => r != body), r => Assert.Equal((304, 0L), (r.Status, r.BodyBytesSent)));
        var item = Assert.Single(next.Items, i => Site.Catalog.VariantOf(i.Key).Path == changed.Path);
        Assert.Equal(SyncItemOutcome.Downloaded, item.Outcome);
        Assert.Equal(CacheFolder.Sha256(Site.FileOf(changed)), CacheFolder.Sha256((await host.Cache.TryGetAsync(item.Key))!.LocalPath));
    }

    [Fact]
    public async Task SyncUpcoming_ImmutableMediaWithAYearsMaxAge_PastTheResyncIntervalCostsNoMediaRequest()
    {
        var time = new FakeTimeProvider(Now);
        var nginx = await StartNginxAsync(new NginxOptions { Server = """location /media/ { add_header Cache-Control "max-age=31536000, immutable"; }""" });
        var host = NewSyncHost(nginx.BaseAddress, time: time);
        var first = await host.Scheduler.SyncUpcomingAsync();
        var firstRun = (await nginx.SettledRequestsAsync()).Count;

        time.Advance(TimeSpan.FromHours(25)); // Past the re-sync interval: the workouts are due, their media are fresh.
        var next = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Complete, first.Outcome);
        Assert.Equal(SyncOutcome.Complete, next.Outcome);
        Assert.All(next.Items, i => Assert.Equal(SyncItemOutcome.Cached, i.Outcome));
        var later = (await nginx.SettledRequestsAsync()).Skip(firstRun).ToList();
        Assert.NotEmpty(later); // The catalog was asked again: the workouts were due.
        Assert.DoesNotContain(later, r => r.IsMedia);
        foreach (var item in next.Items)
        {
            var fresh = (await host.Cache.TryGetAsync(item.Key))?.FreshUntil;
            Assert.True(fresh > time.GetUtcNow().AddDays(300), $"{item.Key} fresh until {fresh}");
        }
    }
}
