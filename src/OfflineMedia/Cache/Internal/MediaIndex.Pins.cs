using System.Globalization;

namespace OfflineMedia.Cache.Internal;

/// <summary>The pins table: sets of keys (one per upcoming workout) that eviction never takes until they lapse.</summary>
internal sealed partial class MediaIndex
{
    public void Pin(string pinSet, IEnumerable<MediaKey> keys, long until) =>
        ForEachKey(
            "INSERT OR REPLACE INTO pins(pin_set, exercise_id, kind, variant, pinned_until) VALUES ($set, $id, $kind, $variant, $until)",
            keys,
            static key => key,
            command =>
            {
                command.Parameters.AddWithValue("$set", pinSet);
                command.Parameters.AddWithValue("$until", until);
            });

    public void Unpin(string pinSet, IEnumerable<MediaKey>? keys)
    {
        if (keys is not null)
        {
            ForEachKey(
                "DELETE FROM pins WHERE pin_set = $set AND exercise_id = $id AND kind = $kind AND variant = $variant",
                keys,
                static key => key,
                command => command.Parameters.AddWithValue("$set", pinSet));
            return;
        }

        using var writer = _store.Write();
        using var command = writer.Command("DELETE FROM pins WHERE pin_set = $set");
        command.Parameters.AddWithValue("$set", pinSet);
        command.ExecuteNonQuery();
    }

    /// <summary>The bytes of cached files pinned at <paramref name="now"/>, but for <paramref name="except"/>.</summary>
    public long PinnedBytes(long now, MediaKey except)
    {
        // On a pooled connection: this runs before every download, and opening a connection costs more than the query.
        using var rented = _readers.Rent();
        using var command = rented.Reader.Connection.CreateCommand();
        command.CommandText = """
            SELECT coalesce(sum(e.size), 0) FROM entries e
            WHERE (e.exercise_id, e.kind, e.variant) IN (SELECT exercise_id, kind, variant FROM pins WHERE pinned_until > $now)
              AND NOT (e.exercise_id = $id AND e.kind = $kind AND e.variant = $variant)
            """;
        AddKey(command, except);
        command.Parameters.AddWithValue("$now", now);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public void RemoveAllPins()
    {
        using var writer = _store.Write();
        writer.Execute("DELETE FROM pins");
    }

    /// <summary>Drops pins that lapsed, so the table does not grow without end.</summary>
    public void RemoveLapsedPins(long now)
    {
        using var writer = _store.Write();
        using var command = writer.Command("DELETE FROM pins WHERE pinned_until <= $now");
        command.Parameters.AddWithValue("$now", now);
        command.ExecuteNonQuery();
    }
}
