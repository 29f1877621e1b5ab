using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Sync;

/// <summary>
/// The media client opens at most <c>MaxConnectionsPerServer</c> connections to one server, whatever the parallelism.
/// The fake origin speaks HTTP/1.1 (one request at a time per connection, the next handled only after the last
/// ended), so the requests it is handling at once are a lower bound of the connections open: sampled from its
/// request log (arrived, not completed) while every response is held 300 ms.
/// </summary>
public sealed class SyncSchedulerConnectionLimitTests : OriginTestBase
{
    private static readonly string[] Exercises = ["squat", "lunge", "plank", "row"];

    protected override FakeMediaCatalog CreateCatalog()
    {
        var catalog = new FakeMediaCatalog();
        foreach (var id in Exercises)
        {
            catalog.AddPhoneExercise(id);
        }

        return catalog.AddWorkout("w-1", "Full body", DateTimeOffset.UtcNow.AddHours(2), Exercises);
    }

    [Fact]
    public async Task SyncUpcoming_EightParallelDownloadsAndALimitOfFour_TheOriginNeverHandlesMoreThanFourAtOnce()
    {
        foreach (var variant in Origin.Catalog.AllVariants)
        {
            Origin.Faults.Set(variant, FakeFault.Delay(TimeSpan.FromMilliseconds(300)));
        }

        await using var host = new SyncHost(Root, Origin.BaseAddress, o =>
        {
            o.MaxParallelDownloads = 8;
            o.MaxConnectionsPerServer = 4;
        });

        var sync = host.Scheduler.SyncUpcomingAsync();
        var peak = 0;
        while (!sync.IsCompleted)
        {
            peak = Math.Max(peak, Origin.Requests.MediaRequests().Count(r => !r.IsCompleted));
            await Task.Delay(2);
        }

        var report = await sync;
        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.Equal(12, report.Downloaded);
        Assert.Equal(4, peak); // Never more than the limit, and the limit (not the parallelism) was what held them.
    }
}
