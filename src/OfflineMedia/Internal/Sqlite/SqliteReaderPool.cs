using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace OfflineMedia.Internal.Sqlite;

/// <summary>
/// Read connections of one store kept open for reuse, each with what its owner prepared on it: opening a connection, or
/// preparing a statement, costs more than an indexed lookup. Closed with the store.
/// </summary>
internal sealed class SqliteReaderPool<TReader>(SqliteStore store, Func<SqliteConnection, TReader> create)
    where TReader : class, IDisposable
{
    private readonly ConcurrentBag<TReader> _readers = [];

    /// <summary>Takes a pooled reader, or opens one; the lease gives it back.</summary>
    public Lease Rent()
    {
        ObjectDisposedException.ThrowIf(store.IsDisposed, store);
        if (_readers.TryTake(out var reader))
        {
            return new Lease(this, reader);
        }

        var connection = store.OpenReader();
        try
        {
            return new Lease(this, create(connection));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Closes the readers in the pool; those in use close when given back, as the store is closed by then.</summary>
    public void Clear()
    {
        while (_readers.TryTake(out var reader))
        {
            reader.Dispose();
        }
    }

    private void Return(TReader reader)
    {
        if (store.IsDisposed)
        {
            reader.Dispose();
        }
        else
        {
            _readers.Add(reader);
            if (store.IsDisposed)
            {
                Clear(); // Closed while it was given back: the close may have emptied the pool before the add.
            }
        }
    }

    /// <summary>A rented reader; back to the pool on dispose (closed if the store closed meanwhile).</summary>
    public readonly struct Lease : IDisposable
    {
        private readonly SqliteReaderPool<TReader> _pool;

        internal Lease(SqliteReaderPool<TReader> pool, TReader reader)
        {
            _pool = pool;
            Reader = reader;
        }

        public TReader Reader { get; }

        public void Dispose() => _pool.Return(Reader);
    }
}
