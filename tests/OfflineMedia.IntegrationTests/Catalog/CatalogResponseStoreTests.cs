using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using OfflineMedia.Catalog.Internal;
using OfflineMedia.IntegrationTests.Infrastructure;

namespace OfflineMedia.IntegrationTests.Catalog;

/// <summary>
/// The catalog's stored answers on a real <c>catalog.db</c>: saves are written behind, in groups, yet found at once,
/// never lost by a close, and never one answer written over a newer one.
/// </summary>
public sealed class CatalogResponseStoreTests : TempFolderTestBase
{
    private readonly ConcurrentQueue<Exception> _failures = new();

    private string DatabasePath => Path.Combine(Root, "catalog.db");

    [Fact]
    public void Find_AnswerJustSaved_IsFoundBeforeAndAfterItIsWritten()
    {
        using var store = Open();
        var answer = Answer("\"v1\"", storedAt: 1);

        store.Save("a", answer);

        AssertSame(answer, store.Find("a"));
        WaitUntilWritten(1);
        AssertSame(answer, store.Find("a"));
        Assert.Empty(_failures);
    }

    [Fact]
    public void Dispose_WithAnswersQueued_WritesThemAll()
    {
        using (var store = Open())
        {
            for (var i = 0; i < 500; i++)
            {
                store.Save($"k{i}", Answer($"\"{i}\"", storedAt: i));
            }
        }

        Assert.Equal(500, StoredCount());
        using var reopened = Open();
        Assert.Equal("\"499\"", reopened.Find("k499")?.ETag);
        Assert.Equal([0x01, 0x02, 0x03], reopened.Find("k0")?.Body);
        Assert.Empty(_failures);
    }

    [Fact]
    public async Task Save_FromEightThreadsAtOnce_KeepsTheLastAnswerOfEachKey()
    {
        using (var store = Open())
        {
            // Eight writers as a sync's eight requests: each key saved, then confirmed (a 304), then saved anew.
            await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(() =>
            {
                for (var i = 0; i < 250; i++)
                {
                    var key = $"w{w}-{i}";
                    store.Save(key, Answer("\"old\"", storedAt: 1));
                    store.Save(key, Answer("\"old\"", storedAt: 2));
                    store.Save(key, Answer("\"new\"", storedAt: 3));
                    Assert.Equal("\"new\"", store.Find(key)?.ETag);
                }
            })));
        }

        Assert.Equal(2_000, StoredCount());
        using var reopened = Open();
        Assert.All(Enumerable.Range(0, 2_000), n => AssertSame(Answer("\"new\"", storedAt: 3), reopened.Find($"w{n % 8}-{n / 8}")));
        Assert.Empty(_failures);
    }

    [Fact]
    public void Remove_AnswerSavedBefore_IsGoneAtOnceAndAfterReopening()
    {
        using (var store = Open())
        {
            store.Save("a", Answer("\"v1\"", storedAt: 1));
            store.Save("b", Answer("\"v1\"", storedAt: 1));
            WaitUntilWritten(2);

            store.Remove("a");

            Assert.Null(store.Find("a"));
            Assert.NotNull(store.Find("b"));
        }

        Assert.Equal(1, StoredCount());
        using var reopened = Open();
        Assert.Null(reopened.Find("a"));
    }

    [Fact]
    public void Save_AfterDispose_IsRefused()
    {
        var store = Open();
        store.Dispose();

        Assert.Throws<ObjectDisposedException>(() => store.Save("a", Answer("\"v1\"", storedAt: 1)));
    }

    private static StoredResponse Answer(string etag, long storedAt) => new(etag, null, 100, storedAt, [0x01, 0x02, 0x03]);

    private CatalogResponseStore Open()
    {
        Directory.CreateDirectory(Root);
        return new CatalogResponseStore(DatabasePath, _failures.Enqueue);
    }

    private long StoredCount()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM responses";
        return (long)command.ExecuteScalar()!;
    }

    private void WaitUntilWritten(long count) =>
        CacheFolder.WaitUntilAsync(() => StoredCount() == count, $"{count} answers were written").GetAwaiter().GetResult();

    /// <summary>The same answer: its fields, and its body byte for byte (a record compares arrays by reference).</summary>
    private static void AssertSame(StoredResponse expected, StoredResponse? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal((expected.ETag, expected.LastModified, expected.FreshUntil, expected.StoredAt), (actual.ETag, actual.LastModified, actual.FreshUntil, actual.StoredAt));
        Assert.Equal(expected.Body, actual.Body);
    }
}
