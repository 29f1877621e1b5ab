using Microsoft.Data.Sqlite;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Internal.Sqlite;

namespace OfflineMedia.IntegrationTests.Cache;

/// <summary>The SQLite helper under the cache index and the sync state, on a real file.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private static readonly string[] s_steps =
    [
        "CREATE TABLE steps (n INTEGER NOT NULL);",
        "INSERT INTO steps VALUES (2);",
        "INSERT INTO steps VALUES (3);",
    ];

    private readonly TempDirectory _temp = new();

    private string File => Path.Combine(_temp.Path, "store.db");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Open_NewFile_RunsEveryMigrationInOrderOnce()
    {
        SqliteStore.Open(File, new SqliteMigrations("test store", s_steps)).Dispose();
        SqliteStore.Open(File, new SqliteMigrations("test store", s_steps)).Dispose();

        Assert.Equal(["2", "3"], SqliteFile.Column(File, "SELECT n FROM steps ORDER BY rowid"));
        Assert.Equal(3, SqliteFile.UserVersion(File));
    }

    [Fact]
    public void Open_OlderFile_RunsOnlyTheMigrationsItHasNotHad()
    {
        var prepared = 0;
        SqliteStore.Open(File, new SqliteMigrations("test store", s_steps[..2], _ => prepared++)).Dispose();

        SqliteStore.Open(File, new SqliteMigrations("test store", s_steps, _ => prepared++)).Dispose();
        SqliteStore.Open(File, new SqliteMigrations("test store", s_steps, _ => prepared++)).Dispose();

        Assert.Equal(["2", "3"], SqliteFile.Column(File, "SELECT n FROM steps ORDER BY rowid"));
        Assert.Equal(3, SqliteFile.UserVersion(File));
        Assert.Equal(2, prepared); // Only before pending migrations: an open of a current file registers nothing.
    }

    [Fact]
    public void Open_NewerFile_IsRefusedWithItsVersionAndLeftUntouched()
    {
        SqliteStore.Open(File, new SqliteMigrations("test store", s_steps)).Dispose();
        SqliteFile.Execute(File, "PRAGMA user_version = 7;");

        var error = Assert.Throws<SqliteException>(() => SqliteStore.Open(File, new SqliteMigrations("test store", [.. s_steps, "DELETE FROM steps;"])));

        Assert.Equal("The test store has schema version 7; this version of OfflineMedia reads up to 4.", error.Message);
        Assert.Equal(26, error.SqliteErrorCode); // Unreadable, as a damaged file is: its owner rebuilds it.
        Assert.Equal(7, SqliteFile.UserVersion(File));
        Assert.Equal(["2", "3"], SqliteFile.Column(File, "SELECT n FROM steps ORDER BY rowid"));
    }

    [Fact]
    public void Open_FailingMigration_RollsItBackAndKeepsTheVersionBeforeIt()
    {
        SqliteStore.Open(File, new SqliteMigrations("test store", s_steps[..2])).Dispose();
        string[] failing = [.. s_steps[..2], "INSERT INTO steps VALUES (3); UPDATE steps SET n = 99; CREATE TABLE more (x); INSERT INTO missing VALUES (1);"];

        Assert.Throws<SqliteException>(() => SqliteStore.Open(File, new SqliteMigrations("test store", failing)));

        Assert.Equal(2, SqliteFile.UserVersion(File));
        Assert.Equal(["2"], SqliteFile.Column(File, "SELECT n FROM steps ORDER BY rowid"));
        Assert.Empty(SqliteFile.Column(File, "SELECT name FROM sqlite_master WHERE name = 'more'"));

        // Nothing of the failed attempt is left in the way of the next one.
        SqliteStore.Open(File, new SqliteMigrations("test store", s_steps)).Dispose();
        Assert.Equal(["2", "3"], SqliteFile.Column(File, "SELECT n FROM steps ORDER BY rowid"));
    }

    [Fact]
    public void Open_SetsTheStandardPragmasAndTheWritersOwn()
    {
        using var store = SqliteStore.Open(File, new SqliteMigrations("test store", s_steps), "PRAGMA cache_size = -16384;");

        using (var writer = store.Write())
        {
            Assert.Equal("wal", writer.Scalar("PRAGMA journal_mode"));
            Assert.Equal(1L, writer.Scalar("PRAGMA synchronous")); // NORMAL
            Assert.Equal(5000L, writer.Scalar("PRAGMA busy_timeout"));
            Assert.Equal(-16384L, writer.Scalar("PRAGMA cache_size"));
        }

        using var reader = store.OpenReader();
        Assert.Equal("wal", SqliteStore.Scalar(reader, "PRAGMA journal_mode"));
        Assert.NotEqual(-16384L, SqliteStore.Scalar(reader, "PRAGMA cache_size")); // The writer's alone.
    }

    [Fact]
    public void Write_HeldByOneThread_AnotherWaitsUntilItIsGivenBack()
    {
        using var store = SqliteStore.Open(File, new SqliteMigrations("test store", s_steps));
        using var entered = new ManualResetEventSlim();
        var other = new Thread(() =>
        {
            using var second = store.Write();
            entered.Set();
        });

        using (var writer = store.Write())
        {
            other.Start();
            Assert.False(entered.Wait(TimeSpan.FromMilliseconds(200)));
        }

        Assert.True(entered.Wait(TimeSpan.FromSeconds(5)));
        Assert.True(other.Join(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Close_Twice_RunsTheClosingWorkOnceThenRefusesUse()
    {
        var store = SqliteStore.Open(File, new SqliteMigrations("test store", s_steps));
        var closings = 0;

        store.Close(writer =>
        {
            closings++;
            SqliteStore.Execute(writer, "INSERT INTO steps VALUES (4);");
        });
        store.Close(_ => closings++);
        store.Dispose();

        Assert.Equal(1, closings);
        Assert.True(store.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => store.Write());
        Assert.Throws<ObjectDisposedException>(() => store.OpenReader());
        Assert.Equal(["2", "3", "4"], SqliteFile.Column(File, "SELECT n FROM steps ORDER BY rowid"));
    }

    [Fact]
    public void ReaderPool_GivenBack_ReusesItAndClosesItOnceTheStoreIsClosed()
    {
        var store = SqliteStore.Open(File, new SqliteMigrations("test store", s_steps));
        var pool = new SqliteReaderPool<SqliteConnection>(store, connection => connection);

        SqliteConnection first;
        using (var lease = pool.Rent())
        {
            first = lease.Reader;
        }

        var again = pool.Rent();
        Assert.Same(first, again.Reader);

        store.Close(_ => pool.Clear());
        again.Dispose();

        Assert.Equal(System.Data.ConnectionState.Closed, first.State);
        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
    }
}
