using Microsoft.Data.Sqlite;

namespace OfflineMedia.Cache.Internal;

internal sealed partial class MediaIndex
{
    /// <summary>
    /// Takes the lease on downloading <paramref name="key"/> for <paramref name="owner"/>, in one write transaction: when no
    /// instance holds it, when <paramref name="owner"/> does already, or when its holder is gone (<paramref name="isAlive"/>).
    /// </summary>
    /// <returns>The live holder of the lease when another has it; <see langword="null"/> when it is <paramref name="owner"/>'s now.</returns>
    public string? TryLease(MediaKey key, string owner, Func<string, bool> isAlive)
    {
        using var writer = _store.Write();
        using var transaction = writer.BeginTransaction();
        using var command = writer.Command("SELECT owner FROM leases WHERE exercise_id = $id AND kind = $kind AND variant = $variant", transaction);
        AddKey(command, key);
        if (command.ExecuteScalar() is string holder && holder != owner && isAlive(holder))
        {
            return holder;
        }

        command.CommandText = "INSERT OR REPLACE INTO leases (exercise_id, kind, variant, owner) VALUES ($id, $kind, $variant, $owner)";
        command.Parameters.AddWithValue("$owner", owner);
        command.ExecuteNonQuery();
        transaction.Commit();
        return null;
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
