using System.Globalization;
using Microsoft.Data.Sqlite;
using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;
using OfflineMedia.Variants;

namespace OfflineMedia.Tests.Cache;

public sealed class MediaIndexTests : IDisposable
{
    private const long Day = 86_400_000;
    private const long Now = 1_780_000_000_000;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "offlinemedia-index-" + Guid.NewGuid().ToString("N"));
    private readonly string _path;

    public MediaIndexTests()
    {
        Directory.CreateDirectory(_folder);
        _path = Path.Combine(_folder, "index.db");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    // ---- Open, schema, clean flag ----

    [Fact]
    public void Open_NewFile_MigratesToSchemaVersion()
    {
        MediaIndex.Open(_path).Dispose();

        Assert.Equal(MediaIndex.SchemaVersion, UserVersion());
        Assert.True(MediaIndex.SchemaVersion >= 2);
    }

    [Fact]
    public void Open_NewFile_IsNotReportedClean()
    {
        // Nothing vouches for the folder next to a new index: the cache checks it (and removes files without rows).
        using var index = MediaIndex.Open(_path);

        Assert.False(index.WasCleanlyClosed);
    }

    [Fact]
    public void Open_AfterDispose_WasCleanlyClosed()
    {
        MediaIndex.Open(_path).Dispose();

        using var index = MediaIndex.Open(_path);

        Assert.True(index.WasCleanlyClosed);
    }

    [Fact]
    public void Open_AfterUncleanClose_WasNotCleanlyClosed()
    {
        MediaIndex.Open(_path).Dispose();
        var crashed = MediaIndex.Open(_path);
        crashed.Upsert(Entry("squat", MediaKind.Image, "small", 10, Now));

        // The files as a crash leaves them: the database and its WAL, with the index never closed.
        var image = CrashImage();
        crashed.Dispose();

        using var index = MediaIndex.Open(image);

        Assert.False(index.WasCleanlyClosed);
        Assert.NotNull(index.Find(Key("squat", MediaKind.Image, "small")));
    }

    [Fact]
    public void Open_ObjectDroppedWithoutDispose_NextOpenIsNotClean()
    {
        OpenAndDrop(_path);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        SqliteConnection.ClearAllPools();

        using var index = MediaIndex.Open(_path);

        Assert.False(index.WasCleanlyClosed);
        Assert.NotNull(index.Find(Key("squat", MediaKind.Image, "small")));
    }

    [Fact]
    public void Open_UncleanThenDispose_IsCleanAgain()
    {
        OpenAndDrop(_path);
        MediaIndex.Open(_path).Dispose();

        using var index = MediaIndex.Open(_path);

        Assert.True(index.WasCleanlyClosed);
    }

    [Fact]
    public void Open_HigherUserVersion_ThrowsSqliteException()
    {
        MediaIndex.Open(_path).Dispose();
        Execute($"PRAGMA user_version = {MediaIndex.SchemaVersion + 1}");

        Assert.Throws<SqliteException>(() => MediaIndex.Open(_path));
        Assert.Equal(MediaIndex.SchemaVersion + 1, UserVersion());
    }

    [Fact]
    public void Open_NotADatabase_ThrowsSqliteException()
    {
        File.WriteAllBytes(_path, Enumerable.Repeat((byte)0x5A, 8192).ToArray());

        Assert.Throws<SqliteException>(() => MediaIndex.Open(_path));
    }

    [Fact]
    public void Open_VersionOneIndex_MigratesKeepingRowsInOrderOfUse()
    {
        // The schema as version 1 wrote it.
        Execute("""
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
            CREATE TABLE entries (
                exercise_id TEXT NOT NULL, kind INTEGER NOT NULL, variant TEXT NOT NULL, path TEXT NOT NULL,
                source_url TEXT NOT NULL, size INTEGER NOT NULL, content_type TEXT, etag TEXT, last_modified INTEGER,
                sha256 TEXT NOT NULL, cached_at INTEGER NOT NULL, last_access INTEGER NOT NULL,
                PRIMARY KEY (exercise_id, kind, variant)) WITHOUT ROWID;
            CREATE INDEX entries_by_access ON entries (last_access);
            CREATE TABLE pins (
                exercise_id TEXT NOT NULL, kind INTEGER NOT NULL, variant TEXT NOT NULL, pin_set TEXT NOT NULL,
                pinned_until INTEGER NOT NULL, PRIMARY KEY (exercise_id, kind, variant, pin_set)) WITHOUT ROWID;
            CREATE INDEX pins_by_set ON pins (pin_set);
            INSERT INTO meta VALUES ('clean', '1');
            INSERT INTO entries VALUES ('squat', 0, 'small', 'media/image/squat/small.jpg', 'https://cdn/s.jpg', 42, 'image/jpeg',
                                        '"e"', NULL, 'abc', 1, 30);
            INSERT INTO entries VALUES ('lunge', 1, '720p', 'media/video/lunge/720p.mp4', 'https://cdn/l.mp4', 7, 'video/mp4',
                                        NULL, NULL, 'def', 1, 10);
            INSERT INTO entries VALUES ('plank', 0, 'small', 'media/image/plank/small.jpg', 'https://cdn/p.jpg', 9, 'image/jpeg',
                                        NULL, NULL, 'abc', 1, 20);
            PRAGMA user_version = 1;
            """);

        using (var index = MediaIndex.Open(_path))
        {
            Assert.True(index.WasCleanlyClosed);
            Assert.Equal(42, index.Find(Key("squat", MediaKind.Image, "small"))?.Size);
        }

        Assert.Equal(MediaIndex.SchemaVersion, UserVersion());
        Assert.Equal(["exercise_id", "kind", "variant"], IndexColumns("entries_by_key"));
        Assert.Equal(["lunge", "plank", "squat"], Column("SELECT exercise_id FROM entries ORDER BY seq"));
    }

    [Fact]
    public void Evict_Queries_WalkTheTableInOrderAndDeleteARange()
    {
        MediaIndex.Open(_path).Dispose();
        const string Pinned = "EXISTS (SELECT 1 FROM pins p WHERE p.exercise_id = e.exercise_id AND p.kind = e.kind AND p.variant = e.variant)";

        var choose = QueryPlan($"SELECT e.seq, e.size, e.last_access FROM entries e WHERE NOT {Pinned} ORDER BY e.seq");
        var delete = QueryPlan($"DELETE FROM entries AS e WHERE e.seq <= 10 AND NOT {Pinned}");

        Assert.Matches("SCAN e(?! USING)", choose);
        Assert.DoesNotContain("TEMP B-TREE", choose, StringComparison.Ordinal);
        Assert.Contains("SEARCH e USING INTEGER PRIMARY KEY (rowid<?)", delete, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_Reopened_KeepsRowsAndPins()
    {
        var entry = Entry("squat", MediaKind.Video, "720p", 1234, Now) with { ContentType = null, ETag = null, LastModified = null };
        using (var index = MediaIndex.Open(_path))
        {
            index.Upsert(entry);
            index.Upsert(Entry("lunge", MediaKind.Image, "small", 5, Now));
            index.Pin("workout", [entry.Key], Now + Day);
        }

        using var reopened = MediaIndex.Open(_path);

        Assert.Equal(entry with { PinnedUntil = Now + Day }, reopened.Find(entry.Key));
        Assert.Equal(2, reopened.All().Count);
    }

    [Fact]
    public void Dispose_Twice_IsHarmless()
    {
        var index = MediaIndex.Open(_path);

        index.Dispose();
        index.Dispose();
    }

    [Fact]
    public void Find_AfterDispose_ThrowsObjectDisposed()
    {
        var index = MediaIndex.Open(_path);
        index.Dispose();

        Assert.Throws<ObjectDisposedException>(() => index.Find(Key("squat", MediaKind.Image, "small")));
        Assert.Throws<ObjectDisposedException>(() => index.TotalBytes());
    }

    // ---- Rows ----

    [Fact]
    public void Upsert_NewKey_IsFoundWithEveryField()
    {
        using var index = MediaIndex.Open(_path);
        var entry = Entry("squat", MediaKind.Image, "small", 10, Now);

        index.Upsert(entry);

        Assert.Equal(entry, index.Find(entry.Key));
    }

    [Fact]
    public void ForgetUnflushed_AnEarlierCommitOfThePath_KeepsTheLaterOneListed()
    {
        using var index = MediaIndex.Open(_path);
        var entry = Entry("squat", MediaKind.Video, "720p", 10, Now);
        index.Upsert(entry, commit: 1);
        index.Upsert(entry with { Size = 12 }, commit: 2);

        // The flush of commit 1 may have run before commit 2 replaced the file: it must not speak for commit 2.
        index.ForgetUnflushed([new CommittedFile("/cache/" + entry.RelativePath, entry.RelativePath, 1)]);
        Assert.Equal([entry.RelativePath], index.UnflushedFiles());

        index.ForgetUnflushed([new CommittedFile("/cache/" + entry.RelativePath, entry.RelativePath, 2)]);
        Assert.Empty(index.UnflushedFiles());
    }

    [Fact]
    public void Commit_AGroupWhoseSecondFileCannotBeMoved_WritesTheOtherRowsAndTakesItsLeasesInOneTransaction()
    {
        using var index = MediaIndex.Open(_path);
        var (a, b, c) = (Entry("a", MediaKind.Image, "small", 10, Now), Entry("b", MediaKind.Image, "small", 20, Now), Entry("c", MediaKind.Image, "small", 40, Now));
        var leased = Key("d", MediaKind.Video, "720p");
        var moved = new List<string>();

        var (outcomes, holders, total) = index.Commit(
            [
                new CommitRow(a, new CommitDetails(null, 1, "me", () => moved.Add("a"))),
                new CommitRow(b, new CommitDetails(null, 2, "me", () => throw new IOException("The partial file is gone."))),
                new CommitRow(c, new CommitDetails(null, 3, "me", () => moved.Add("c"))),
            ],
            [leased],
            "me",
            static _ => true);

        Assert.Equal(["a", "c"], moved);
        Assert.Null(outcomes[0].Failure);
        Assert.IsType<IOException>(outcomes[1].Failure);
        Assert.Null(outcomes[2].Failure);
        Assert.True(outcomes[2].Seq > outcomes[0].Seq); // In order of use: the group's last file is its last row.
        Assert.Equal(a, index.Find(a.Key));
        Assert.Null(index.Find(b.Key));
        Assert.Equal(c, index.Find(c.Key));
        Assert.Equal(50, total);
        Assert.Equal([a.RelativePath, c.RelativePath], index.UnflushedFiles().Order(StringComparer.Ordinal));
        Assert.Null(Assert.Single(holders));
        Assert.Equal("me", Assert.Single(index.Commit([], [leased], "another", static _ => true).Holders)); // Held by "me" now.
    }

    [Fact]
    public void Commit_ALeaseOfAnInstanceThatIsGone_IsTakenOverInTheGroup()
    {
        using var index = MediaIndex.Open(_path);
        var key = Key("squat", MediaKind.Video, "720p");
        index.Commit([], [key], "gone", static _ => true);

        var (_, holders, _) = index.Commit([], [key], "me", static owner => owner != "gone");

        Assert.Null(Assert.Single(holders));
    }

    [Fact]
    public void Upsert_WithoutADigest_IsFoundWithoutOne()
    {
        using var index = MediaIndex.Open(_path);
        var entry = Entry("squat", MediaKind.Image, "small", 10, Now) with { Sha256 = null };

        index.Upsert(entry);

        Assert.Equal(entry, index.Find(entry.Key));
    }

    [Fact]
    public void Upsert_SameKey_ReplacesTheRow()
    {
        using var index = MediaIndex.Open(_path);
        var first = Entry("squat", MediaKind.Image, "small", 10, Now);
        var second = first with { Size = 20, Sha256 = "other", ETag = null, RelativePath = "media/image/squat/small.png" };

        index.Upsert(first);
        index.Upsert(second);

        Assert.Equal(second, index.Find(first.Key));
        Assert.Single(index.All());
        Assert.Equal(20, index.TotalBytes());
    }

    [Fact]
    public void Find_KeyDifferingInKindOrCaseOrVariant_ReturnsNull()
    {
        using var index = MediaIndex.Open(_path);
        index.Upsert(Entry("squat", MediaKind.Image, "small", 10, Now));

        Assert.Null(index.Find(Key("squat", MediaKind.Video, "small")));
        Assert.Null(index.Find(Key("Squat", MediaKind.Image, "small")));
        Assert.Null(index.Find(Key("squat", MediaKind.Image, "Small")));
        Assert.Null(index.Find(Key("lunge", MediaKind.Image, "small")));
    }

    [Fact]
    public void FindByExercise_SeveralRows_ReturnsThatExercisesOrderedByKindAndVariant()
    {
        using var index = MediaIndex.Open(_path);
        index.Upsert(Entry("squat", MediaKind.Video, "720p", 1, Now));
        index.Upsert(Entry("squat", MediaKind.Image, "small", 1, Now));
        index.Upsert(Entry("squat", MediaKind.Image, "large", 1, Now));
        index.Upsert(Entry("lunge", MediaKind.Image, "small", 1, Now));

        var found = index.FindByExercise("squat");

        Assert.Equal(
            [Key("squat", MediaKind.Image, "large"), Key("squat", MediaKind.Image, "small"), Key("squat", MediaKind.Video, "720p")],
            found.Select(e => e.Key));
        Assert.Empty(index.FindByExercise("SQUAT"));
    }

    [Fact]
    public void Delete_SomeKeysMissing_ReturnsHowManyExisted()
    {
        using var index = MediaIndex.Open(_path);
        index.Upsert(Entry("a", MediaKind.Image, "small", 1, Now));
        index.Upsert(Entry("b", MediaKind.Image, "small", 1, Now));
        index.Upsert(Entry("c", MediaKind.Image, "small", 1, Now));

        var deleted = index.Delete([Key("c", MediaKind.Image, "small"), Key("a", MediaKind.Image, "small"), Key("zz", MediaKind.Image, "small")], retireAt: null);

        Assert.Equal(2, deleted.Count);
        Assert.Equal([Key("b", MediaKind.Image, "small")], index.All().Select(e => e.Key));
    }

    [Fact]
    public void Delete_NoKeys_ReturnsZero()
    {
        using var index = MediaIndex.Open(_path);
        index.Upsert(Entry("a", MediaKind.Image, "small", 1, Now));

        Assert.Empty(index.Delete([], retireAt: null));
        Assert.Single(index.All());
    }

    [Fact]
    public void Delete_ManyKeysInAnyOrder_RemovesExactlyThose()
    {
        using var index = MediaIndex.Open(_path);
        var keys = Enumerable.Range(0, 300).Select(i => Key($"exercise-{i:D4}", (MediaKind)(i % 2), i % 3 == 0 ? "small" : "720p")).ToList();
        foreach (var key in keys)
        {
            index.Upsert(Entry(key.ExerciseId, key.Kind, key.Variant, 1, Now));
        }

        var doomed = keys.Where((_, i) => i % 3 != 1).Reverse().ToList();

        Assert.Equal(doomed.Count, index.Delete(doomed, retireAt: null).Count);
        Assert.Equal(keys.Where((_, i) => i % 3 == 1).OrderBy(k => k.ExerciseId, StringComparer.Ordinal),
            index.All().Select(e => e.Key).OrderBy(k => k.ExerciseId, StringComparer.Ordinal));
    }

    [Fact]
    public void Touch_EarlierTime_KeepsTheLaterOne()
    {
        using var index = MediaIndex.Open(_path);
        var key = Key("squat", MediaKind.Image, "small");
        index.Upsert(Entry("squat", MediaKind.Image, "small", 1, lastAccess: 1_000));

        index.Touch([new(key, 500)]);
        Assert.Equal(1_000, index.Find(key)?.LastAccess);

        index.Touch([new(key, 2_000)]);
        Assert.Equal(2_000, index.Find(key)?.LastAccess);
    }

    [Fact]
    public void Touch_BatchWithMissingKeys_UpdatesOnlyTheRows()
    {
        using var index = MediaIndex.Open(_path);
        index.Upsert(Entry("a", MediaKind.Image, "small", 1, lastAccess: 1));
        index.Upsert(Entry("b", MediaKind.Video, "720p", 1, lastAccess: 1));

        index.Touch([new(Key("b", MediaKind.Video, "720p"), 30), new(Key("missing", MediaKind.Image, "small"), 40), new(Key("a", MediaKind.Image, "small"), 20)]);
        index.Touch([]);

        Assert.Equal(20, index.Find(Key("a", MediaKind.Image, "small"))?.LastAccess);
        Assert.Equal(30, index.Find(Key("b", MediaKind.Video, "720p"))?.LastAccess);
        Assert.Equal(2, index.All().Count);
    }

    [Fact]
    public void Revalidated_NullValidators_KeepTheStoredOnesAndMoveTimes()
    {
        using var index = MediaIndex.Open(_path);
        var entry = Entry("squat", MediaKind.Image, "small", 1, lastAccess: Now + 5);
        index.Upsert(entry);

        index.Revalidated(entry.Key, "https://cdn/new.jpg", etag: null, lastModified: null, now: Now);

        var row = index.Find(entry.Key)!;
        Assert.Equal("https://cdn/new.jpg", row.SourceUrl);
        Assert.Equal(entry.ETag, row.ETag);
        Assert.Equal(entry.LastModified, row.LastModified);
        Assert.Equal(Now, row.CachedAt);
        Assert.Equal(Now + 5, row.LastAccess);
    }

    [Fact]
    public void Revalidated_NewValidators_ReplaceTheStoredOnes()
    {
        using var index = MediaIndex.Open(_path);
        var entry = Entry("squat", MediaKind.Image, "small", 1, lastAccess: 1);
        index.Upsert(entry);

        index.Revalidated(entry.Key, entry.SourceUrl, "\"v2\"", 77, Now);

        var row = index.Find(entry.Key)!;
        Assert.Equal("\"v2\"", row.ETag);
        Assert.Equal(77, row.LastModified);
        Assert.Equal(Now, row.LastAccess);
    }

    // ---- Pins ----

    [Fact]
    public void Pin_TwoSets_FindReportsTheLatestUntil()
    {
        using var index = MediaIndex.Open(_path);
        var key = Key("squat", MediaKind.Video, "720p");
        index.Upsert(Entry(key.ExerciseId, key.Kind, key.Variant, 1, Now));

        index.Pin("monday", [key], Now + Day);
        index.Pin("tuesday", [key], Now + (2 * Day));

        Assert.Equal(Now + (2 * Day), index.Find(key)?.PinnedUntil);
    }

    [Fact]
    public void Unpin_OneOfTwoSets_KeyStaysPinnedByTheOther()
    {
        using var index = MediaIndex.Open(_path);
        var key = Key("squat", MediaKind.Video, "720p");
        index.Upsert(Entry(key.ExerciseId, key.Kind, key.Variant, 100, Now));
        index.Pin("monday", [key], Now + (2 * Day));
        index.Pin("tuesday", [key], Now + Day);

        index.Unpin("monday", [key]);

        Assert.Equal(Now + Day, index.Find(key)?.PinnedUntil);
        Assert.Empty(index.Evict(budget: 0, target: 0, expiredBefore: Now + Day, now: Now, keep: null).Evicted);

        index.Unpin("tuesday", keys: null);

        Assert.Null(index.Find(key)?.PinnedUntil);
        Assert.Single(index.Evict(budget: 0, target: 0, expiredBefore: Now + Day, now: Now, keep: null).Evicted);
    }

    [Fact]
    public void Unpin_WholeSet_LeavesOtherSetsAndOtherKeys()
    {
        using var index = MediaIndex.Open(_path);
        var a = Key("a", MediaKind.Image, "small");
        var b = Key("b", MediaKind.Image, "small");
        index.Upsert(Entry("a", MediaKind.Image, "small", 1, Now));
        index.Upsert(Entry("b", MediaKind.Image, "small", 1, Now));
        index.Pin("monday", [a, b], Now + Day);
        index.Pin("tuesday", [b], Now + Day);

        index.Unpin("monday", keys: null);

        Assert.Null(index.Find(a)?.PinnedUntil);
        Assert.Equal(Now + Day, index.Find(b)?.PinnedUntil);
    }

    [Fact]
    public void Unpin_SomeKeysOfASet_LeavesTheRestOfIt()
    {
        using var index = MediaIndex.Open(_path);
        var a = Key("a", MediaKind.Image, "small");
        var b = Key("b", MediaKind.Image, "small");
        index.Upsert(Entry("a", MediaKind.Image, "small", 1, Now));
        index.Upsert(Entry("b", MediaKind.Image, "small", 1, Now));
        index.Pin("monday", [a, b], Now + Day);

        index.Unpin("monday", [a]);

        Assert.Null(index.Find(a)?.PinnedUntil);
        Assert.Equal(Now + Day, index.Find(b)?.PinnedUntil);
    }

    [Fact]
    public void Pin_BeforeTheRowExists_AppliesOnceItIsWritten()
    {
        using var index = MediaIndex.Open(_path);
        var key = Key("squat", MediaKind.Video, "720p");

        index.Pin("monday", [key], Now + Day);
        index.Upsert(Entry(key.ExerciseId, key.Kind, key.Variant, 1, Now));

        Assert.Equal(Now + Day, index.Find(key)?.PinnedUntil);
    }

    [Fact]
    public void PinnedBytes_ExcludesTheGivenKeyAndLapsedPinsAndCountsEachRowOnce()
    {
        using var index = MediaIndex.Open(_path);
        index.Upsert(Entry("a", MediaKind.Video, "720p", 100, Now));
        index.Upsert(Entry("b", MediaKind.Video, "720p", 20, Now));
        index.Upsert(Entry("c", MediaKind.Video, "720p", 3, Now));
        index.Upsert(Entry("d", MediaKind.Video, "720p", 4_000, Now));
        index.Pin("monday", [Key("a", MediaKind.Video, "720p"), Key("b", MediaKind.Video, "720p")], Now + Day);
        index.Pin("tuesday", [Key("a", MediaKind.Video, "720p")], Now + Day);
        index.Pin("last-week", [Key("c", MediaKind.Video, "720p")], Now);
        index.Pin("monday", [Key("not-cached", MediaKind.Video, "720p")], Now + Day);

        Assert.Equal(120, index.PinnedBytes(Now, except: Key("zz", MediaKind.Video, "720p")));
        Assert.Equal(20, index.PinnedBytes(Now, except: Key("a", MediaKind.Video, "720p")));
        Assert.Equal(100, index.PinnedBytes(Now, except: Key("b", MediaKind.Video, "720p")));
        Assert.Equal(123, index.PinnedBytes(Now - 1, except: Key("zz", MediaKind.Video, "720p")));
        Assert.Equal(0, index.PinnedBytes(Now + Day, except: Key("zz", MediaKind.Video, "720p")));
    }

    [Fact]
    public void RemoveLapsedPins_DropsOnlyPinsEndedByNow()
    {
        using var index = MediaIndex.Open(_path);
        var a = Key("a", MediaKind.Image, "small");
        var b = Key("b", MediaKind.Image, "small");
        index.Upsert(Entry("a", MediaKind.Image, "small", 1, Now));
        index.Upsert(Entry("b", MediaKind.Image, "small", 1, Now));
        index.Pin("old", [a], Now);
        index.Pin("new", [b], Now + 1);

        index.RemoveLapsedPins(Now);

        Assert.Null(index.Find(a)?.PinnedUntil);
        Assert.Equal(Now + 1, index.Find(b)?.PinnedUntil);
    }

    [Fact]
    public void RemoveAllPins_UnpinsEverything()
    {
        using var index = MediaIndex.Open(_path);
        var a = Key("a", MediaKind.Image, "small");
        index.Upsert(Entry("a", MediaKind.Image, "small", 1, Now));
        index.Pin("x", [a], Now + Day);
        index.Pin("y", [a], Now + Day);

        index.RemoveAllPins();

        Assert.Null(index.Find(a)?.PinnedUntil);
    }

    // ---- Eviction ----

    [Fact]
    public void Evict_UnderBudget_ChoosesOnlyExpiredRows()
    {
        using var index = MediaIndex.Open(_path);
        // Written in order of use, as downloads and uses are.
        index.Upsert(Entry("older", MediaKind.Image, "small", 10, lastAccess: Now - (50 * Day)));
        index.Upsert(Entry("old", MediaKind.Video, "720p", 100, lastAccess: Now - (40 * Day)));
        index.Upsert(Entry("recent", MediaKind.Video, "720p", 1_000, lastAccess: Now - Day));

        var chosen = index.Evict(budget: 10_000, target: 9_000, expiredBefore: Now - (30 * Day), now: Now, keep: null).Evicted;

        Assert.Equal([Key("older", MediaKind.Image, "small"), Key("old", MediaKind.Video, "720p")], chosen.Select(e => e.Key));
    }

    [Fact]
    public void Evict_UnderBudgetNothingExpired_ChoosesNothing()
    {
        using var index = MediaIndex.Open(_path);
        index.Upsert(Entry("a", MediaKind.Video, "720p", 100, lastAccess: Now - Day));

        Assert.Empty(index.Evict(budget: 100, target: 90, expiredBefore: Now - (30 * Day), now: Now, keep: null).Evicted);
    }

    [Fact]
    public void Evict_OverBudget_ChoosesLeastRecentlyUsedUntilTheTarget()
    {
        using var index = MediaIndex.Open(_path);
        for (var i = 0; i < 10; i++)
        {
            index.Upsert(Entry($"exercise-{i}", MediaKind.Video, "720p", 100, lastAccess: Now - (2 * Day)));
        }

        // Used in another order than keys or insertion (exercise-n at minute 7n mod 10): the choice follows the uses.
        index.Touch(Enumerable.Range(0, 10)
            .Select(n => new KeyValuePair<MediaKey, long>(Key($"exercise-{n}", MediaKind.Video, "720p"), Now - Day + ((n * 7 % 10) * 60_000))).ToList());

        var chosen = index.Evict(budget: 900, target: 700, expiredBefore: Now - (30 * Day), now: Now, keep: null).Evicted;

        Assert.Equal(["exercise-0", "exercise-3", "exercise-6"], chosen.Select(e => e.Key.ExerciseId));
        Assert.All(chosen, e => Assert.Null(index.Find(e.Key)));
        Assert.Equal(7, Column("SELECT exercise_id FROM entries").Count);
    }

    [Fact]
    public void Evict_OverBudget_StopsAtTheFirstRowThatReachesTheTarget()
    {
        using var index = MediaIndex.Open(_path);
        index.Upsert(Entry("a", MediaKind.Video, "720p", 50, lastAccess: 1));
        index.Upsert(Entry("b", MediaKind.Video, "720p", 500, lastAccess: 2));
        index.Upsert(Entry("c", MediaKind.Video, "720p", 5, lastAccess: 3));

        var chosen = index.Evict(budget: 500, target: 450, expiredBefore: 0, now: Now, keep: null).Evicted;

        Assert.Equal(["a", "b"], chosen.Select(e => e.Key.ExerciseId));
    }

    [Fact]
    public void Evict_ExpiredRowsPastTheTarget_AreStillChosen()
    {
        using var index = MediaIndex.Open(_path);
        index.Upsert(Entry("a", MediaKind.Video, "720p", 500, lastAccess: Now - (40 * Day)));
        index.Upsert(Entry("b", MediaKind.Video, "720p", 5, lastAccess: Now - (35 * Day)));
        index.Upsert(Entry("c", MediaKind.Video, "720p", 5, lastAccess: Now - Day));

        var chosen = index.Evict(budget: 500, target: 450, expiredBefore: Now - (30 * Day), now: Now, keep: null).Evicted;

        Assert.Equal(["a", "b"], chosen.Select(e => e.Key.ExerciseId));
    }

    [Fact]
    public void Evict_PinnedRows_AreNeverChosen()
    {
        using var index = MediaIndex.Open(_path);
        index.Upsert(Entry("pinned", MediaKind.Video, "720p", 100, lastAccess: Now - (90 * Day)));
        index.Upsert(Entry("lapsed", MediaKind.Video, "720p", 100, lastAccess: Now - (80 * Day)));
        index.Upsert(Entry("free", MediaKind.Video, "720p", 100, lastAccess: Now - Day));
        index.Pin("workout", [Key("pinned", MediaKind.Video, "720p")], Now + Day);
        index.Pin("old-workout", [Key("lapsed", MediaKind.Video, "720p")], Now);

        var chosen = index.Evict(budget: 0, target: 0, expiredBefore: Now - (30 * Day), now: Now, keep: null).Evicted;

        Assert.Equal(["lapsed", "free"], chosen.Select(e => e.Key.ExerciseId));
    }

    [Fact]
    public void Evict_Chosen_CarryKeyPathAndSize()
    {
        using var index = MediaIndex.Open(_path);
        var entry = Entry("squat", MediaKind.Image, "small", 321, lastAccess: 1);
        index.Upsert(entry);

        var chosen = Assert.Single(index.Evict(budget: 0, target: 0, expiredBefore: 0, now: Now, keep: null).Evicted);

        Assert.Equal(new EntryFile(entry.Key, entry.RelativePath, 321), chosen);
        Assert.Equal(entry.File, chosen);
    }

    [Fact]
    public void Evict_KeptKey_IsNeverEvictedNorCounted()
    {
        using var index = MediaIndex.Open(_path);
        index.Upsert(Entry("a", MediaKind.Video, "720p", 100, lastAccess: 1));
        index.Upsert(Entry("b", MediaKind.Video, "720p", 100, lastAccess: 2));
        index.Upsert(Entry("c", MediaKind.Video, "720p", 100, lastAccess: 3));

        var evicted = index.Evict(budget: 250, target: 150, expiredBefore: 0, now: Now, keep: Key("a", MediaKind.Video, "720p")).Evicted;

        Assert.Equal(["b", "c"], evicted.Select(e => e.Key.ExerciseId));
        Assert.NotNull(index.Find(Key("a", MediaKind.Video, "720p")));
    }

    [Fact]
    public void Evict_AfterARevalidation_TheRevalidatedRowCountsAsUsed()
    {
        using var index = MediaIndex.Open(_path);
        index.Upsert(Entry("a", MediaKind.Video, "720p", 100, lastAccess: Now - Day));
        index.Upsert(Entry("b", MediaKind.Video, "720p", 100, lastAccess: Now - Day));
        index.Revalidated(Key("a", MediaKind.Video, "720p"), "https://cdn.example.com/a", "\"etag-2\"", lastModified: null, Now);

        var evicted = index.Evict(budget: 150, target: 100, expiredBefore: 0, now: Now, keep: null).Evicted;

        Assert.Equal(["b"], evicted.Select(e => e.Key.ExerciseId));
    }

    [Fact]
    public void Evict_NothingToEvict_ChangesNothing()
    {
        using var index = MediaIndex.Open(_path);
        index.Upsert(Entry("a", MediaKind.Video, "720p", 100, lastAccess: Now));

        Assert.Empty(index.Evict(budget: 1_000, target: 900, expiredBefore: 0, now: Now, keep: null).Evicted);
        Assert.NotNull(index.Find(Key("a", MediaKind.Video, "720p")));
    }

    // ---- Usage and totals ----

    [Fact]
    public void Usage_MixedRows_IsSplitByKindWithActivePinnedBytes()
    {
        using var index = MediaIndex.Open(_path);
        index.Upsert(Entry("a", MediaKind.Image, "small", 10, Now));
        index.Upsert(Entry("a", MediaKind.Image, "large", 20, Now));
        index.Upsert(Entry("a", MediaKind.Video, "720p", 300, Now));
        index.Upsert(Entry("b", MediaKind.Video, "720p", 4_000, Now));
        index.Pin("monday", [Key("a", MediaKind.Video, "720p"), Key("a", MediaKind.Image, "small")], Now + Day);
        index.Pin("tuesday", [Key("a", MediaKind.Video, "720p")], Now + Day);
        index.Pin("lapsed", [Key("b", MediaKind.Video, "720p")], Now);

        var usage = index.Usage(Now, limit: 1_000_000);

        Assert.Equal(new CacheUsage(4_330, 4, 30, 2, 4_300, 2, 310, 1_000_000), usage);
        Assert.Equal(4_330, index.TotalBytes());
    }

    [Fact]
    public void Usage_Empty_IsAllZeroWithTheLimit()
    {
        using var index = MediaIndex.Open(_path);

        Assert.Equal(new CacheUsage(0, 0, 0, 0, 0, 0, 0, 5), index.Usage(Now, limit: 5));
        Assert.Equal(0, index.TotalBytes());
    }

    [Fact]
    public void ClearCandidates_KeepPinned_LeavesOutOnlyActivePins()
    {
        using var index = MediaIndex.Open(_path);
        index.Upsert(Entry("pinned", MediaKind.Image, "small", 1, Now));
        index.Upsert(Entry("lapsed", MediaKind.Image, "small", 1, Now));
        index.Upsert(Entry("free", MediaKind.Image, "small", 1, Now));
        index.Pin("w", [Key("pinned", MediaKind.Image, "small")], Now + 1);
        index.Pin("w", [Key("lapsed", MediaKind.Image, "small")], Now);

        var keep = index.ClearCandidates(keepPinned: true, Now).Select(e => e.Key.ExerciseId).Order(StringComparer.Ordinal);
        var all = index.ClearCandidates(keepPinned: false, Now).Select(e => e.Key.ExerciseId).Order(StringComparer.Ordinal);

        Assert.Equal(["free", "lapsed"], keep);
        Assert.Equal(["free", "lapsed", "pinned"], all);
    }

    [Fact]
    public void Find_ManyThreadsWhileWriting_AlwaysFindsTheRows()
    {
        using var index = MediaIndex.Open(_path);
        var keys = Enumerable.Range(0, 50).Select(i => Key($"exercise-{i}", MediaKind.Image, "small")).ToArray();
        foreach (var key in keys)
        {
            index.Upsert(Entry(key.ExerciseId, key.Kind, key.Variant, 1, Now));
        }

        var misses = 0;
        Parallel.For(0, 2_000, i =>
        {
            if (i % 10 == 0)
            {
                index.Touch([new(keys[i % keys.Length], Now + i)]);
            }

            if (index.Find(keys[i % keys.Length]) is null)
            {
                Interlocked.Increment(ref misses);
            }
        });

        Assert.Equal(0, misses);
    }

    private static MediaKey Key(string id, MediaKind kind, string variant) => new(id, kind, variant);

    private static IndexEntry Entry(string id, MediaKind kind, string variant, long size, long lastAccess) => new(
        Key(id, kind, variant),
        $"media/{(kind == MediaKind.Image ? "image" : "video")}/{id}/{variant}{(kind == MediaKind.Image ? ".jpg" : ".mp4")}",
        $"https://cdn.example.com/{id}/{variant}",
        size,
        kind == MediaKind.Image ? "image/jpeg" : "video/mp4",
        "\"etag-1\"",
        Now - (100 * Day),
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        lastAccess - 1,
        lastAccess);

    /// <summary>Opens an index, writes a row and drops it without Dispose, as a crash would.</summary>
    private static void OpenAndDrop(string path)
    {
        MediaIndex.Open(path).Dispose();
        var index = MediaIndex.Open(path);
        index.Upsert(Entry("squat", MediaKind.Image, "small", 10, Now));
    }

    private string CrashImage()
    {
        var image = Path.Combine(_folder, "crash.db");
        File.Copy(_path, image);
        if (File.Exists(_path + "-wal"))
        {
            File.Copy(_path + "-wal", image + "-wal");
        }

        return image;
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private void Execute(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private int UserVersion()
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private List<string> IndexColumns(string index) => Column($"SELECT name FROM pragma_index_info('{index}') ORDER BY seqno");

    private List<string> Column(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var rows = command.ExecuteReader();
        var columns = new List<string>();
        while (rows.Read())
        {
            columns.Add(rows.GetString(0));
        }

        return columns;
    }

    private string QueryPlan(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        using var rows = command.ExecuteReader();
        var plan = new List<string>();
        while (rows.Read())
        {
            plan.Add(rows.GetString(3));
        }

        return string.Join('\n', plan);
    }
}
