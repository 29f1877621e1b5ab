using System.Globalization;
using System.IO.Abstractions;
using System.Net.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;
using OfflineMedia.Diagnostics;
using OfflineMedia.Internal.Sqlite;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.Benchmarks.Cache;

/// <summary>
/// A real cache folder in a temp directory, seeded with an index of <see cref="EntryCount"/> rows the way an
/// app with a large library would have it: 12,500 exercises, five image and three video variants each,
/// realistic sizes, distinct access times, a few pinned sets. Closed cleanly, so the next open is a clean open.
/// </summary>
internal sealed class CacheFolder : IDisposable
{
    public const int EntryCount = 100_000;

    private static readonly (MediaKind Kind, string Variant, long Bytes, string Extension)[] s_variants =
    [
        (MediaKind.Image, "thumbnail", 40_000, ".webp"),
        (MediaKind.Image, "small", 120_000, ".webp"),
        (MediaKind.Image, "medium", 350_000, ".jpg"),
        (MediaKind.Image, "large", 900_000, ".jpg"),
        (MediaKind.Image, "original", 2_500_000, ".png"),
        (MediaKind.Video, "720p", 12_000_000, ".mp4"),
        (MediaKind.Video, "1080p", 28_000_000, ".mp4"),
        (MediaKind.Video, "original", 60_000_000, ".mov"),
    ];

    private static readonly string[] s_parameters =
        ["$id", "$kind", "$variant", "$path", "$url", "$size", "$type", "$etag", "$modified", "$sha", "$cached", "$access"];

    private readonly FileSystem _fileSystem = new();

    public CacheFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "offlinemedia-bench-" + Guid.NewGuid().ToString("N")[..12]);
        Paths = new CachePaths(_fileSystem, Root);
        Directory.CreateDirectory(Paths.MediaDirectory);
        Directory.CreateDirectory(Paths.TempDirectory);
    }

    public string Root { get; }

    public CachePaths Paths { get; }

    /// <summary>Gets the time the seeded access times are relative to: every row was used within the last 10 days.</summary>
    public DateTimeOffset Now { get; } = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Gets the seeded rows, in insertion order (not access order).</summary>
    public List<IndexEntry> Entries { get; } = new(EntryCount);

    public long TotalBytes { get; private set; }

    public static MediaKey KeyOf(int i)
    {
        var (kind, variant, _, _) = s_variants[i % s_variants.Length];
        return new MediaKey(ExerciseId(i / s_variants.Length), kind, variant);
    }

    public static string ExerciseId(int exercise) => "exercise-" + exercise.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Creates <c>index.db</c> through <see cref="MediaIndex"/> (schema, clean flag), fills it in one transaction, closes it cleanly.</summary>
    public void Seed(CacheAccessPattern pattern = CacheAccessPattern.Scattered)
    {
        MediaIndex.Open(Paths.IndexFile).Dispose();

        var random = new Random(20260301);
        var now = Now.ToUnixTimeMilliseconds();

        // Distinct access times over the last 10 days, in an order unrelated to the keys (or, by exercise, with
        // the variants of one exercise used one after the other).
        var exercises = EntryCount / s_variants.Length;
        var accessOrder = Enumerable.Range(0, pattern == CacheAccessPattern.Scattered ? EntryCount : exercises).ToArray();
        random.Shuffle(accessOrder);

        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Paths.IndexFile, Pooling = false }.ToString()))
        {
            connection.Open();
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO entries (exercise_id, kind, variant, path, source_url, size, content_type, etag, last_modified, sha256, cached_at, last_access)
                VALUES ($id, $kind, $variant, $path, $url, $size, $type, $etag, $modified, $sha, $cached, $access)
                """;
            var p = s_parameters.Select(name => insert.Parameters.Add(name, SqliteType.Text)).ToArray();
            insert.Prepare();

            var sha = new byte[32];
            for (var i = 0; i < EntryCount; i++)
            {
                var key = KeyOf(i);
                var (_, variant, bytes, extension) = s_variants[i % s_variants.Length];
                var url = $"https://cdn.example.com/media/{key.ExerciseId}/{variant}{extension}?sig=abc{i}";
                var size = (long)(bytes * (0.5 + random.NextDouble()));
                random.NextBytes(sha);
                var rank = pattern == CacheAccessPattern.Scattered
                    ? accessOrder[i]
                    : (accessOrder[i / s_variants.Length] * s_variants.Length) + (i % s_variants.Length);
                var access = now - (rank * 8_640L) - 1; // 10 days / 100,000 rows apart, all distinct.
                var entry = new IndexEntry(
                    key, Paths.RelativeMediaPath(key, url), url, size,
                    key.Kind == MediaKind.Image ? "image/" + extension.TrimStart('.') : "video/mp4",
                    $"\"{i:x8}\"", now - TimeSpan.FromDays(60).Ticks / TimeSpan.TicksPerMillisecond,
                    Convert.ToHexStringLower(sha), access - 86_400_000, access);
                Entries.Add(entry);
                TotalBytes += size;

                p[0].Value = key.ExerciseId;
                p[1].Value = (int)key.Kind;
                p[2].Value = key.Variant;
                p[3].Value = entry.RelativePath;
                p[4].Value = entry.SourceUrl;
                p[5].Value = entry.Size;
                p[6].Value = entry.ContentType;
                p[7].Value = entry.ETag;
                p[8].Value = entry.LastModified;
                p[9].Value = entry.Sha256;
                p[10].Value = entry.CachedAt;
                p[11].Value = entry.LastAccess;
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        // The uses themselves, replayed oldest first through the index in the cache's batches of 256: the index orders
        // its table by use as the SDK leaves it after these uses, not as a bulk insert would.
        using (var index = MediaIndex.Open(Paths.IndexFile))
        {
            foreach (var batch in Entries.OrderBy(static e => e.LastAccess).Chunk(256))
            {
                index.Touch(Array.ConvertAll(batch, static e => new KeyValuePair<MediaKey, long>(e.Key, e.LastAccess)));
            }
        }

        // Pinned workouts: 50 sets of 20 exercises' 720p video and medium image (2,000 rows), pinned for a week.
        using (var index = MediaIndex.Open(Paths.IndexFile))
        {
            var until = now + (long)TimeSpan.FromDays(7).TotalMilliseconds;
            for (var set = 0; set < 50; set++)
            {
                var keys = Enumerable.Range(set * 20, 20)
                    .SelectMany(e => new[] { new MediaKey(ExerciseId(e), MediaKind.Video, "720p"), new MediaKey(ExerciseId(e), MediaKind.Image, "medium") });
                index.Pin("workout-" + set.ToString(CultureInfo.InvariantCulture), keys, until);
            }
        }
    }

    /// <summary>
    /// Writes the real files of some rows (small bodies; the row's size and digest are set to match), so a lookup finds
    /// them. The index is left as the cache's flusher leaves it once the files are on disk: a commit lists its file as
    /// unflushed, and an open that finds unflushed files checks each against its digest (a whole-index repair).
    /// </summary>
    public void WriteFiles(IReadOnlyList<MediaKey> keys)
    {
        var body = new byte[1024];
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body));
        using var index = MediaIndex.Open(Paths.IndexFile);
        foreach (var key in keys)
        {
            var entry = index.Find(key)!;
            var path = Paths.Resolve(entry.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, body);
            index.Upsert(entry with { Size = body.Length, Sha256 = sha256, PinnedUntil = null });
        }

        index.ClearUnflushed();
    }

    private readonly Microsoft.Extensions.DependencyInjection.ServiceProvider _metrics =
        Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(
            Microsoft.Extensions.DependencyInjection.MetricsServiceExtensions.AddMetrics(new Microsoft.Extensions.DependencyInjection.ServiceCollection()));

    private System.Diagnostics.Metrics.IMeterFactory _meters =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(_metrics);

    public DefaultMediaCache CreateCache()
    {
        var options = new OfflineMediaOptions { CacheDirectory = Root };
        var downloader = new MediaDownloader(new PlainHttpClientFactory(), _fileSystem, NullLogger<MediaDownloader>.Instance);
        return new DefaultMediaCache(
            new FixedOptionsMonitor(options), _fileSystem, FakeStorageProbe.WithGigabytes(500), downloader, new SqliteWarmUp(), TimeProvider.System,
            new OfflineMediaTelemetry(_meters), NullLogger<DefaultMediaCache>.Instance);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private sealed class PlainHttpClientFactory : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }

    private sealed class FixedOptionsMonitor(OfflineMediaOptions value) : IOptionsMonitor<OfflineMediaOptions>
    {
        public OfflineMediaOptions CurrentValue => value;

        public OfflineMediaOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<OfflineMediaOptions, string?> listener) => null;
    }
}
