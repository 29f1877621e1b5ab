using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Cache;

/// <summary>
/// No secret a URL carries (a signed URL's signature and token, a password before the host) is kept in the index
/// file, or shows in a report's reason, an exception or a log.
/// </summary>
public sealed partial class MediaCacheSecretsTests : OriginTestBase
{
    protected override FakeMediaOriginOptions OriginOptions => new() { MediaUrlStyle = FakeMediaUrlStyle.SignedCdn };

    protected override FakeMediaCatalog CreateCatalog() => new FakeMediaCatalog()
        .AddPhoneExercise("squat")
        .AddPhoneExercise("lunge")
        .AddWorkout("w-1", "Legs", DateTimeOffset.UtcNow.AddHours(2), "squat", "lunge");

    [Fact]
    public async Task SyncUpcoming_SignedCdnUrls_LeaveNoSignatureInTheIndexFile()
    {
        var host = new SyncHost(Root, Origin.BaseAddress);
        try
        {
            var report = await host.Scheduler.SyncUpcomingAsync();

            Assert.Equal(SyncOutcome.Complete, report.Outcome);
            var signatures = Signatures();
            Assert.Equal(report.Downloaded, signatures.Count);

            // Every text the index holds, read as SQLite reads it, and the bytes of its files, WAL included, while open.
            var text = IndexText(Root);
            Assert.Contains(text, t => t.Contains("/cdn/", StringComparison.Ordinal)); // The source URLs are there, cut.
            Assert.DoesNotContain(text, t => t.Contains('?', StringComparison.Ordinal) || t.Contains("sig=", StringComparison.Ordinal));
            AssertNotInIndexFiles(signatures);

            var squat = await host.Cache.TryGetAsync(new MediaKey("squat", MediaKind.Image, MediaVariantNames.Medium));
            Assert.Equal(Origin.GetUri("/cdn/images/squat/medium/medium.jpg").ToString(), squat!.SourceUrl);
        }
        finally
        {
            await host.DisposeAsync();
        }

        AssertNotInIndexFiles(Signatures());
    }

    [Fact]
    public async Task Revalidate_FreshSignedUrl_KeepsItWithoutItsQuery()
    {
        var variant = Origin.Catalog.GetVariant("squat", FakeMediaKind.Image, "medium");
        await using (var host = new CacheHost(Root, Origin.BaseAddress))
        {
            await host.Cache.GetOrDownloadAsync(variant.ToKey(), new MediaSource(Origin.GetSignedCdnUri(variant).ToString()));

            var media = await host.Cache.RevalidateAsync(variant.ToKey(), new MediaSource(Origin.GetSignedCdnUri(variant).ToString()));

            Assert.Equal(304, Origin.Requests.All[^1].StatusCode); // The 304 path, which rewrites the row's URL.
            Assert.Equal(Origin.GetUri("/cdn/images/squat/medium/medium.jpg").ToString(), media.SourceUrl);
            Assert.DoesNotContain(IndexText(Root), t => t.Contains("sig=", StringComparison.Ordinal));
        }

        AssertNotInIndexFiles(Signatures());
    }

    [Fact]
    public async Task Open_IndexWrittenBeforeWithSecretsInItsUrls_CutsThemFromTheFile()
    {
        var variant = Origin.Catalog.GetVariant("squat", FakeMediaKind.Image, "medium");
        await using (var host = new CacheHost(Root, Origin.BaseAddress))
        {
            foreach (var each in Origin.Catalog.AllVariants)
            {
                await host.Cache.GetOrDownloadAsync(each.ToKey(), each.ToSource());
            }
        }

        // As an earlier version left it: the URL as the catalog gave it, and the schema before the migration that cuts it
        // (which the content hash column, the tables for sharing the cache and the freshness column followed).
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = CacheFolder.IndexFile(Root), Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                ALTER TABLE entries DROP COLUMN fresh_until;
                DROP TRIGGER entries_total_insert; DROP TRIGGER IF EXISTS entries_total_delete; DROP TRIGGER entries_total_update;
                DROP TABLE totals; DROP TABLE leases; DROP TABLE retired;
                ALTER TABLE entries DROP COLUMN content_hash;
                UPDATE entries SET source_url = 'https://user:PASSWORD1@cdn.example.com/media/x.jpg?sig=SIGNATURE1&token=TOKEN1#FRAGMENT1' || seq;
                PRAGMA user_version = {MediaIndex.SchemaVersion - 5};
                """;
            command.ExecuteNonQuery();
        }

        await using (var host = new CacheHost(Root, Origin.BaseAddress))
        {
            var media = await host.Cache.TryGetAsync(variant.ToKey());

            Assert.Equal("https://cdn.example.com/media/x.jpg", media!.SourceUrl);
        }

        AssertNotInIndexFiles(["PASSWORD1", "SIGNATURE1", "TOKEN1", "FRAGMENT1"]);
    }

    [Fact]
    public async Task SyncUpcoming_UrlsWithPasswords_NoPasswordInReasonsLogsOrTheIndex()
    {
        var poster = new UriBuilder(Origin.GetMediaUri("squat", FakeMediaKind.Video, "poster")) { UserName = "user", Password = "PASSWORD3", Query = "sig=SIGNATURE3" };
        await using var api = await ScriptedApi.StartAsync(new Dictionary<string, string>
        {
            ["/api/workouts/upcoming"] = $$"""
                [{"id": "w-1", "name": "Legs", "scheduledAt": "{{DateTimeOffset.UtcNow.AddHours(2):O}}", "exercises": [{"id": "squat", "name": "Squat"}]}]
                """,
            ["/api/exercises/squat/media"] = $$$"""
                {"images": {"medium": "ftp://u:PASSWORD1@127.0.0.1/media/x.jpg"},
                 "videos": {"720p": "http://user:PASSWORD2@[::1/bad.mp4", "poster": "{{{poster.Uri}}}"}}
                """,
        });
        await using var host = new SyncHost(Root, api.BaseAddress);

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Partial, report.Outcome);
        var image = report.Item(new MediaKey("squat", MediaKind.Image, MediaVariantNames.Medium));
        var video = report.Item(new MediaKey("squat", MediaKind.Video, MediaVariantNames.Video720p));
        Assert.Equal(SyncItemOutcome.Failed, image.Outcome);
        Assert.Contains("ftp://127.0.0.1/media/x.jpg", image.Reason, StringComparison.Ordinal); // Still says which URL was refused.
        Assert.Equal(SyncItemOutcome.Failed, video.Outcome);
        Assert.Contains("[::1/bad.mp4", video.Reason, StringComparison.Ordinal);
        var said = report.Items.Select(i => i.Reason ?? string.Empty).Append(report.Reason ?? string.Empty)
            .Concat(host.Logs.GetSnapshot().Select(e => e.Message + e.Exception))
            .ToList();
        foreach (var secret in (string[])["PASSWORD1", "PASSWORD2", "PASSWORD3", "SIGNATURE3"])
        {
            Assert.DoesNotContain(said, s => s.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(IndexText(Root), t => t.Contains(secret, StringComparison.Ordinal));
        }

        AssertNotInIndexFiles(["PASSWORD3", "SIGNATURE3"]);
    }

    [Theory]
    [InlineData("ftp://u:PASSWORD@127.0.0.1/media/x.jpg")]
    [InlineData("http://user:PASSWORD@[::1/bad.mp4")]
    [InlineData("gopher://user:PASSWORD@127.0.0.1/x.jpg?sig=PASSWORD")]
    public async Task GetOrDownload_RefusedUrlWithAPassword_TheErrorDoesNotShowIt(string url)
    {
        await using var host = new CacheHost(Root, Origin.BaseAddress);

        var error = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(new MediaKey("squat", MediaKind.Image, "medium"), new MediaSource(url)));

        Assert.Equal(MediaCacheError.UnsupportedUrl, error.Error);
        Assert.DoesNotContain("PASSWORD", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.GetSnapshot(), e => (e.Message + e.Exception).Contains("PASSWORD", StringComparison.Ordinal));
    }

    /// <summary>The signatures of every signed URL the origin was asked for.</summary>
    private List<string> Signatures() =>
        [.. Origin.Requests.All.Select(r => SignatureParameter().Match(r.Query)).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct()];

    /// <summary>Every text value in every table of the index.</summary>
    private static List<string> IndexText(string root)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = CacheFolder.IndexFile(root), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var tables = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            using var rows = command.ExecuteReader();
            while (rows.Read())
            {
                tables.Add(rows.GetString(0));
            }
        }

        var text = new List<string>();
        foreach (var table in tables)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            using var rows = command.ExecuteReader();
            while (rows.Read())
            {
                for (var i = 0; i < rows.FieldCount; i++)
                {
                    if (rows.GetValue(i) is string value)
                    {
                        text.Add(value);
                    }
                }
            }
        }

        return text;
    }

    /// <summary>Searches the bytes of the index and its WAL and shared-memory files, free pages included.</summary>
    private void AssertNotInIndexFiles(IEnumerable<string> secrets)
    {
        var files = Directory.GetFiles(Root, "index.db*");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            byte[] bytes;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
            }

            foreach (var secret in secrets)
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{Path.GetFileName(file)} holds '{secret}'.");
            }
        }
    }

    [GeneratedRegex("[?&]sig=([^&]+)")]
    private static partial Regex SignatureParameter();
}
