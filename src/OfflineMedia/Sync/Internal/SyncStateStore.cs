using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;
using OfflineMedia.Catalog;
using OfflineMedia.Internal.Sqlite;
using OfflineMedia.Variants;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// Per-workout sync state in <c>sync.db</c> beside the cache: the files each workout needs on this
/// device and when it was last synced completely. The cache knows nothing of workouts; what is
/// cached now is always read from the cache, so this never claims a file the cache dropped.
/// </summary>
internal sealed class SyncStateStore : IDisposable
{
    /// <summary>Forward migrations: script N takes the schema from version N to N + 1. Append, never edit.</summary>
    private static readonly SqliteMigrations s_schema = new("sync state", [
        // IF NOT EXISTS: a file whose tables were created before its version was recorded migrates as it is.
        """
        CREATE TABLE IF NOT EXISTS workouts (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, scheduled_at INTEGER NOT NULL,
            last_synced INTEGER, complete INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS workout_items (
            workout_id TEXT NOT NULL, exercise_id TEXT NOT NULL, kind INTEGER NOT NULL, variant TEXT NOT NULL,
            estimated_bytes INTEGER NOT NULL,
            PRIMARY KEY (workout_id, exercise_id, kind, variant)) WITHOUT ROWID;
        """,
    ]);

    private readonly SqliteStore _store;

    public SyncStateStore(string path)
    {
        // The file and its journals live in the cache folder: claimed first (never a folder of someone else's files),
        // and never written through a link planted there.
        var fileSystem = new System.IO.Abstractions.FileSystem();
        CacheOwnership.Claim(fileSystem, new CachePaths(fileSystem, Path.GetDirectoryName(Path.GetFullPath(path))!), NullLogger.Instance);
        foreach (var suffix in (string[])["", "-wal", "-shm", "-journal"])
        {
            CachePaths.RemoveLinkBeforeWrite(fileSystem, path + suffix);
        }

        // SQLite opens the file by path, on the disk the checks above looked at.
        _store = SqliteStore.Open(path, s_schema);
    }

    /// <summary>
    /// Stores what each workout needs (each file's key and estimated size), replacing what it needed before: all in one
    /// transaction, since a week can hold thousands of workouts and a commit each would cost more than the plan.
    /// </summary>
    public void SavePlans(IEnumerable<(Workout Workout, IEnumerable<(MediaKey Key, long EstimatedBytes)> Items)> plans)
    {
        using var writer = _store.Write();
        using var transaction = writer.BeginTransaction();
        using var upsert = writer.Command(
            """
            INSERT INTO workouts (id, name, scheduled_at) VALUES ($id, $name, $at)
            ON CONFLICT (id) DO UPDATE SET name = $name, scheduled_at = $at
            """,
            transaction);
        var id = upsert.Parameters.Add("$id", SqliteType.Text);
        var name = upsert.Parameters.Add("$name", SqliteType.Text);
        var at = upsert.Parameters.Add("$at", SqliteType.Integer);

        using var clear = writer.Command("DELETE FROM workout_items WHERE workout_id = $id", transaction);
        var clearId = clear.Parameters.Add("$id", SqliteType.Text);

        using var insert = writer.Command("INSERT OR REPLACE INTO workout_items VALUES ($w, $e, $k, $v, $b)", transaction);
        var workoutId = insert.Parameters.Add("$w", SqliteType.Text);
        var exercise = insert.Parameters.Add("$e", SqliteType.Text);
        var kind = insert.Parameters.Add("$k", SqliteType.Integer);
        var variant = insert.Parameters.Add("$v", SqliteType.Text);
        var bytes = insert.Parameters.Add("$b", SqliteType.Integer);

        // In the tables' key order: appending to a b-tree is cheaper than inserting all over it.
        foreach (var (workout, items) in plans.OrderBy(p => p.Workout.Id, StringComparer.Ordinal))
        {
            id.Value = clearId.Value = workoutId.Value = workout.Id;
            name.Value = workout.Name;
            at.Value = workout.ScheduledAt.ToUnixTimeMilliseconds();
            upsert.ExecuteNonQuery();
            clear.ExecuteNonQuery();
            foreach (var item in items.OrderBy(i => i.Key.ExerciseId, StringComparer.Ordinal).ThenBy(i => i.Key.Kind).ThenBy(i => i.Key.Variant, StringComparer.Ordinal))
            {
                exercise.Value = item.Key.ExerciseId;
                kind.Value = (int)item.Key.Kind;
                variant.Value = item.Key.Variant;
                bytes.Value = item.EstimatedBytes;
                insert.ExecuteNonQuery();
            }
        }

        transaction.Commit();
    }

    /// <summary>Records a sync of the workouts at <paramref name="at"/>, each complete or not, in one transaction.</summary>
    public void MarkSynced(IEnumerable<(string WorkoutId, bool Complete)> workouts, DateTimeOffset at)
    {
        using var writer = _store.Write();
        using var transaction = writer.BeginTransaction();
        using var command = writer.Command("UPDATE workouts SET last_synced = $at, complete = $complete WHERE id = $id", transaction);
        command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var complete = command.Parameters.Add("$complete", SqliteType.Integer);
        foreach (var workout in workouts)
        {
            id.Value = workout.WorkoutId;
            complete.Value = workout.Complete ? 1 : 0;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>Every stored workout's last complete sync, in one read: a scheduled sync checks thousands of workouts.</summary>
    public Dictionary<string, (DateTimeOffset? LastSynced, bool Complete)> LastSyncs()
    {
        using var writer = _store.Write();
        using var command = writer.Command("SELECT id, last_synced, complete FROM workouts");
        using var rows = command.ExecuteReader();
        var syncs = new Dictionary<string, (DateTimeOffset? LastSynced, bool Complete)>(StringComparer.Ordinal);
        while (rows.Read())
        {
            syncs[rows.GetString(0)] = (rows.IsDBNull(1) ? null : DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(1)), rows.GetInt64(2) == 1);
        }

        return syncs;
    }

    public StoredWorkout? Find(string workoutId)
    {
        using var writer = _store.Write();
        using var command = writer.Command("SELECT id, name, scheduled_at, last_synced, complete FROM workouts WHERE id = $id");
        command.Parameters.AddWithValue("$id", workoutId);
        using var rows = command.ExecuteReader();
        if (!rows.Read())
        {
            return null;
        }

        var workout = new StoredWorkout(
            rows.GetString(0),
            rows.GetString(1),
            DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(2)),
            rows.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(3)),
            rows.GetInt64(4) == 1,
            []);
        rows.Close();

        using var items = writer.Command("SELECT exercise_id, kind, variant, estimated_bytes FROM workout_items WHERE workout_id = $id");
        items.Parameters.AddWithValue("$id", workoutId);
        using var itemRows = items.ExecuteReader();
        while (itemRows.Read())
        {
            workout.Items.Add((new MediaKey(itemRows.GetString(0), (MediaKind)itemRows.GetInt32(1), itemRows.GetString(2)), itemRows.GetInt64(3)));
        }

        return workout;
    }

    /// <summary>The ids of stored workouts scheduled before <paramref name="before"/>, which no longer need their pins.</summary>
    public List<string> WorkoutsBefore(DateTimeOffset before)
    {
        using var writer = _store.Write();
        using var command = writer.Command("SELECT id FROM workouts WHERE scheduled_at < $before");
        command.Parameters.AddWithValue("$before", before.ToUnixTimeMilliseconds());
        using var rows = command.ExecuteReader();
        var ids = new List<string>();
        while (rows.Read())
        {
            ids.Add(rows.GetString(0));
        }

        return ids;
    }

    /// <summary>Forgets the workouts and their plans, in one transaction.</summary>
    public void Forget(IEnumerable<string> workoutIds)
    {
        using var writer = _store.Write();
        using var transaction = writer.BeginTransaction();
        using var command = writer.Command("DELETE FROM workout_items WHERE workout_id = $id; DELETE FROM workouts WHERE id = $id;", transaction);
        var id = command.Parameters.Add("$id", SqliteType.Text);
        foreach (var workoutId in workoutIds)
        {
            id.Value = workoutId;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public void Dispose() => _store.Dispose();
}

/// <summary>A workout as stored: its plan and its last sync.</summary>
internal sealed record StoredWorkout(
    string Id,
    string Name,
    DateTimeOffset ScheduledAt,
    DateTimeOffset? LastSynced,
    bool Complete,
    List<(MediaKey Key, long EstimatedBytes)> Items);
