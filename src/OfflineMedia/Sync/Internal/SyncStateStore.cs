using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;
using OfflineMedia.Catalog;
using OfflineMedia.Variants;

namespace OfflineMedia.Sync.Internal;

/// <summary>
/// Per-workout sync state in <c>sync.db</c> beside the cache: the files each workout needs on this
/// device and when it was last synced completely. The cache knows nothing of workouts; what is
/// cached now is always read from the cache, so this never claims a file the cache dropped.
/// </summary>
internal sealed class SyncStateStore : IDisposable
{
    private const int SchemaVersion = 1;
    private readonly SqliteConnection _connection;
    private readonly object _gate = new();

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

        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
        var version = Convert.ToInt32(Scalar("PRAGMA user_version"), CultureInfo.InvariantCulture);
        if (version < SchemaVersion)
        {
            Execute("""
                CREATE TABLE IF NOT EXISTS workouts (
                    id TEXT PRIMARY KEY, name TEXT NOT NULL, scheduled_at INTEGER NOT NULL,
                    last_synced INTEGER, complete INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS workout_items (
                    workout_id TEXT NOT NULL, exercise_id TEXT NOT NULL, kind INTEGER NOT NULL, variant TEXT NOT NULL,
                    estimated_bytes INTEGER NOT NULL,
                    PRIMARY KEY (workout_id, exercise_id, kind, variant)) WITHOUT ROWID;
                PRAGMA user_version = 1;
                """);
        }
    }

    /// <summary>Stores what a workout needs (each file's key and estimated size), replacing what it needed before.</summary>
    public void SavePlan(Workout workout, IEnumerable<(MediaKey Key, long EstimatedBytes)> items)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using var upsert = Command(transaction, """
                INSERT INTO workouts (id, name, scheduled_at) VALUES ($id, $name, $at)
                ON CONFLICT (id) DO UPDATE SET name = $name, scheduled_at = $at
                """);
            upsert.Parameters.AddWithValue("$id", workout.Id);
            upsert.Parameters.AddWithValue("$name", workout.Name);
            upsert.Parameters.AddWithValue("$at", workout.ScheduledAt.ToUnixTimeMilliseconds());
            upsert.ExecuteNonQuery();

            using var clear = Command(transaction, "DELETE FROM workout_items WHERE workout_id = $id");
            clear.Parameters.AddWithValue("$id", workout.Id);
            clear.ExecuteNonQuery();

            using var insert = Command(transaction, "INSERT OR REPLACE INTO workout_items VALUES ($w, $e, $k, $v, $b)");
            insert.Parameters.AddWithValue("$w", workout.Id);
            var exercise = insert.Parameters.Add("$e", SqliteType.Text);
            var kind = insert.Parameters.Add("$k", SqliteType.Integer);
            var variant = insert.Parameters.Add("$v", SqliteType.Text);
            var bytes = insert.Parameters.Add("$b", SqliteType.Integer);
            foreach (var item in items)
            {
                exercise.Value = item.Key.ExerciseId;
                kind.Value = (int)item.Key.Kind;
                variant.Value = item.Key.Variant;
                bytes.Value = item.EstimatedBytes;
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    public void MarkSynced(string workoutId, bool complete, DateTimeOffset at)
    {
        lock (_gate)
        {
            using var command = Command(null, "UPDATE workouts SET last_synced = $at, complete = $complete WHERE id = $id");
            command.Parameters.AddWithValue("$id", workoutId);
            command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$complete", complete ? 1 : 0);
            command.ExecuteNonQuery();
        }
    }

    public StoredWorkout? Find(string workoutId)
    {
        lock (_gate)
        {
            using var command = Command(null, "SELECT id, name, scheduled_at, last_synced, complete FROM workouts WHERE id = $id");
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

            using var items = Command(null, "SELECT exercise_id, kind, variant, estimated_bytes FROM workout_items WHERE workout_id = $id");
            items.Parameters.AddWithValue("$id", workoutId);
            using var itemRows = items.ExecuteReader();
            while (itemRows.Read())
            {
                workout.Items.Add((new MediaKey(itemRows.GetString(0), (MediaKind)itemRows.GetInt32(1), itemRows.GetString(2)), itemRows.GetInt64(3)));
            }

            return workout;
        }
    }

    /// <summary>The ids of stored workouts scheduled before <paramref name="before"/>, which no longer need their pins.</summary>
    public List<string> WorkoutsBefore(DateTimeOffset before)
    {
        lock (_gate)
        {
            using var command = Command(null, "SELECT id FROM workouts WHERE scheduled_at < $before");
            command.Parameters.AddWithValue("$before", before.ToUnixTimeMilliseconds());
            using var rows = command.ExecuteReader();
            var ids = new List<string>();
            while (rows.Read())
            {
                ids.Add(rows.GetString(0));
            }

            return ids;
        }
    }

    public void Forget(string workoutId)
    {
        lock (_gate)
        {
            using var command = Command(null, "DELETE FROM workout_items WHERE workout_id = $id; DELETE FROM workouts WHERE id = $id;");
            command.Parameters.AddWithValue("$id", workoutId);
            command.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    private SqliteCommand Command(SqliteTransaction? transaction, string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private void Execute(string sql)
    {
        using var command = Command(null, sql);
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var command = Command(null, sql);
        return command.ExecuteScalar();
    }
}

/// <summary>A workout as stored: its plan and its last sync.</summary>
internal sealed record StoredWorkout(
    string Id,
    string Name,
    DateTimeOffset ScheduledAt,
    DateTimeOffset? LastSynced,
    bool Complete,
    List<(MediaKey Key, long EstimatedBytes)> Items);
