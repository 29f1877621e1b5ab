using Microsoft.Data.Sqlite;
using OfflineMedia.Internal.Sqlite;

namespace OfflineMedia.Cache.Internal;

internal sealed partial class MediaIndex
{
    /// <summary>
    /// Takes the lease on downloading <paramref name="key"/> for <paramref name="owner"/>, in the caller's write transaction:
    /// when no instance holds it, when <paramref name="owner"/> does already, or when its holder is gone
    /// (<paramref name="isAlive"/>). The statements are prepared once on the writer connection.
    /// </summary>
    /// <returns>The live holder of the lease when another has it; <see langword="null"/> when it is <paramref name="owner"/>'s now.</returns>
    private string? Lease(SqliteStore.Writer writer, SqliteTransaction transaction, MediaKey key, string owner, Func<string, bool> isAlive)
    {
        var find = _leaseFind ??= KeyCommand(writer, "SELECT owner FROM leases WHERE exercise_id = $id AND kind = $kind AND variant = $variant");
        BindKey(find, key, transaction);
        if (find.ExecuteScalar() is string holder && holder != owner && isAlive(holder))
        {
            return holder;
        }

        var take = _leaseTake ??= KeyCommand(writer, "INSERT OR REPLACE INTO leases (exercise_id, kind, variant, owner) VALUES ($id, $kind, $variant, $owner)", "$owner");
        BindKey(take, key, transaction);
        take.Parameters[3].Value = owner;
        take.ExecuteNonQuery();
        return null;
    }

    /// <summary>A statement on the writer connection with the key's parameters (and <paramref name="more"/>), kept while the index is open.</summary>
    private static SqliteCommand KeyCommand(SqliteStore.Writer writer, string sql, params string[] more)
    {
        var command = writer.Command(sql);
        foreach (var name in (string[])["$id", "$kind", "$variant", .. more])
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private static void BindKey(SqliteCommand command, MediaKey key, SqliteTransaction transaction)
    {
        command.Transaction = transaction;
        command.Parameters[0].Value = key.ExerciseId;
        command.Parameters[1].Value = (int)key.Kind;
        command.Parameters[2].Value = key.Variant;
    }

    /// <summary>Ends <paramref name="owner"/>'s lease on <paramref name="key"/>, if it still holds it.</summary>
    public void EndLease(MediaKey key, string owner)
    {
        using var writer = _store.Write();
        using var command = writer.Command("DELETE FROM leases WHERE exercise_id = $id AND kind = $kind AND variant = $variant AND owner = $owner");
        AddKey(command, key);
        command.Parameters.AddWithValue("$owner", owner);
        command.ExecuteNonQuery();
    }
}
