using Microsoft.Data.Sqlite;
using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync.Internal;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Sync;

/// <summary><c>sync.db</c> files as earlier versions left them still open, with their rows.</summary>
public sealed class SyncStateStoreTests : IDisposable
{
    private static readonly DateTimeOffset s_scheduled = new(2026, 5, 4, 7, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_synced = new(2026, 5, 3, 20, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _temp = new();

    private string File => Path.Combine(_temp.Path, "sync.db");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(1)] // As every earlier version left it.
    [InlineData(0)] // Its tables made, and its version never recorded.
    public void Open_FileAsEarlierVersionsWroteIt_KeepsItsRows(int userVersion)
    {
        WriteAsEarlierVersions(userVersion);

        using (var store = new SyncStateStore(File))
        {
            var workout = store.Find("w-1");

            Assert.NotNull(workout);
            Assert.Equal("Legs", workout.Name);
            Assert.Equal(s_scheduled, workout.ScheduledAt);
            Assert.Equal(s_synced, workout.LastSynced);
            Assert.True(workout.Complete);
            Assert.Equal(
                [(new MediaKey("squat", MediaKind.Image, "small"), 200_000L), (new MediaKey("squat", MediaKind.Video, "720p"), 10_000_000L)],
                workout.Items.OrderBy(i => i.Key.Kind));
            Assert.Equal((s_synced, true), store.LastSyncs()["w-1"]);

            store.MarkSynced([("w-1", false)], s_synced.AddDays(1));
        }

        Assert.Equal(1, SqliteFile.UserVersion(File));
        Assert.Equal(["0"], SqliteFile.Column(File, "SELECT complete FROM workouts WHERE id = 'w-1'"));
    }

    [Fact]
    public void Open_FileOfANewerVersion_IsRefusedAndLeftAsItIs()
    {
        WriteAsEarlierVersions(2);

        var error = Assert.Throws<SqliteException>(() => new SyncStateStore(File));

        Assert.Contains("sync state has schema version 2", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, SqliteFile.UserVersion(File));
        Assert.Equal(["w-1"], SqliteFile.Column(File, "SELECT id FROM workouts"));
    }

    /// <summary>The schema and rows as the sync state wrote them before its schema had a list of migrations.</summary>
    private void WriteAsEarlierVersions(int userVersion) => SqliteFile.Execute(File, $"""
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS workouts (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, scheduled_at INTEGER NOT NULL,
            last_synced INTEGER, complete INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS workout_items (
            workout_id TEXT NOT NULL, exercise_id TEXT NOT NULL, kind INTEGER NOT NULL, variant TEXT NOT NULL,
            estimated_bytes INTEGER NOT NULL,
            PRIMARY KEY (workout_id, exercise_id, kind, variant)) WITHOUT ROWID;
        INSERT INTO workouts VALUES ('w-1', 'Legs', {s_scheduled.ToUnixTimeMilliseconds()}, {s_synced.ToUnixTimeMilliseconds()}, 1);
        INSERT INTO workout_items VALUES ('w-1', 'squat', 0, 'small', 200000), ('w-1', 'squat', 1, '720p', 10000000);
        PRAGMA user_version = {userVersion};
        """);
}
