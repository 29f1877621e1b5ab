using Microsoft.Extensions.DependencyInjection;
using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Sync;

public sealed class SyncStateFailureTests : OriginTestBase
{
    [Fact]
    public async Task SyncUpcoming_SyncStateCannotBeOpened_FailsWithAStorageErrorAndTheNextSyncTriesAgain()
    {
        // A folder where sync.db belongs: SQLite cannot open it, and it cannot be deleted to be rebuilt.
        var blocker = Path.Combine(Temp.Path, "sync.db");
        Directory.CreateDirectory(blocker);
        await using var host = new CacheHost(Temp.Path, Origin.BaseAddress);
        var scheduler = host.Services.GetRequiredService<ISyncScheduler>();

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => scheduler.SyncUpcomingAsync());

        Assert.Equal(MediaCacheError.Storage, error.Error);
        Assert.Contains(blocker, error.Message, StringComparison.Ordinal);

        // Once the folder is gone, the same scheduler opens the state: the failure was not kept.
        Directory.Delete(blocker);
        var report = await scheduler.SyncUpcomingAsync();
        Assert.Equal(SyncOutcome.Complete, report.Outcome);
    }
}
