using Microsoft.Extensions.DependencyInjection;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Sync;

public sealed class SyncSchedulerSmokeTests : OriginTestBase
{
    [Fact]
    public async Task SyncUpcoming_WeekOnWiFi_CachesEverythingOnceAndTheSecondSyncDownloadsNothing()
    {
        await using var host = new CacheHost(Temp.Path, Origin.BaseAddress);
        var scheduler = host.Services.GetRequiredService<ISyncScheduler>();
        var progress = new List<SyncProgress>();

        var first = await scheduler.SyncUpcomingAsync(new SynchronousProgress<SyncProgress>(progress.Add));

        Assert.Equal(SyncOutcome.Complete, first.Outcome);
        Assert.True(first.Downloaded > 0);
        Assert.All(first.Items, i => Assert.True(File.Exists(i.LocalPath)));
        Assert.All(first.Workouts, w => Assert.Equal(WorkoutAvailability.Full, w.Availability));
        Assert.Equal(first.Items.Count, first.Items.Select(i => i.Key).Distinct().Count());
        var last = progress[^1];
        Assert.Equal(last.FilesTotal, last.FilesDone);
        Assert.Equal(last.BytesTotal, last.BytesDone);

        var requestsBefore = Origin.Requests.Count;
        var second = await scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Complete, second.Outcome);
        Assert.Equal(0, second.Downloaded);
        Assert.Equal(first.Items.Count, second.Cached);
        Assert.DoesNotContain(Origin.Requests.All.Skip(requestsBefore), r => r.Path.StartsWith("/media/", StringComparison.Ordinal));
    }
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread, in order.</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
