using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;

namespace OfflineMedia.Benchmarks.Cache;

/// <summary>
/// The index side of a trim (<see cref="CacheTrimBenchmarks"/>: choose and remove the least recently used ~10,000 of
/// 100,000 rows, scattered access) against a plain SQLite delete of the same rows (one prepared
/// <c>DELETE ... WHERE key</c> per row, in one transaction, on a connection set up as the index's writer), in
/// alternating rounds in one process, each on a fresh copy of the same index. The per-round ratio of the two times
/// does not depend on how fast or how loaded the machine is, so CI can gate on it where it cannot on a time.
/// Also reported: the bytes the trim's transaction writes into the write-ahead log, which depend only on the pages it
/// rewrites (deterministic for the seeded index), so they catch a layout that spreads the evicted rows again.
/// Run with <c>--paired-trim [--max-ratio R] [--max-wal-mb M]</c>: exits 1 when the median ratio is above R or the
/// write-ahead log grew by more than M MiB.
/// </summary>
internal static class PairedTrimRun
{
    private const int WarmupRounds = 3;
    private const int MeasuredRounds = 15;

    public static int Run(double? maxRatio, double? maxWalMiB)
    {
        using var folder = new CacheFolder();
        folder.Seed(CacheAccessPattern.Scattered);
        var pristine = folder.Paths.IndexFile + ".pristine";
        File.Copy(folder.Paths.IndexFile, pristine);

        // As CacheTrimBenchmarks: over budget by a byte, down to 10% below the total, nothing expired.
        var now = folder.Now.ToUnixTimeMilliseconds();
        var budget = folder.TotalBytes - 1;
        var target = folder.TotalBytes - (folder.TotalBytes / 10);
        var expiredBefore = now - (long)TimeSpan.FromDays(30).TotalMilliseconds;

        Restore(folder, pristine);
        MediaKey[] keys;
        double walMiB;
        using (var index = MediaIndex.Open(folder.Paths.IndexFile))
        {
            var walBefore = WalLength(folder);
            keys = [.. index.Evict(budget, target, expiredBefore, now, keep: null).Evicted.Select(static e => e.Key)];
            walMiB = (WalLength(folder) - walBefore) / 1024.0 / 1024.0;
        }

        List<double> sdk = [], plain = [], ratios = [];
        for (var round = 0; round < WarmupRounds + MeasuredRounds; round++)
        {
            double sdkMs, plainMs;
            if (round % 2 == 0)
            {
                sdkMs = TimeEvict(folder, pristine, budget, target, expiredBefore, now, keys.Length);
                plainMs = TimePlainDelete(folder, pristine, keys);
            }
            else
            {
                plainMs = TimePlainDelete(folder, pristine, keys);
                sdkMs = TimeEvict(folder, pristine, budget, target, expiredBefore, now, keys.Length);
            }

            if (round >= WarmupRounds)
            {
                sdk.Add(sdkMs);
                plain.Add(plainMs);
                ratios.Add(sdkMs / plainMs);
            }
        }

        var median = Quantile(ratios, 0.5);
        Console.WriteLine($"Paired trim: choose and remove {keys.Length:N0} of {CacheFolder.EntryCount:N0} rows (scattered access) against a plain "
            + $"delete of the same rows, {WarmupRounds} warm-up and {MeasuredRounds} measured rounds.");
        Console.WriteLine();
        Console.WriteLine("| Choose and remove, median | Plain delete, median | Ratio, median round | Ratio, quartiles | Written to the WAL |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {Quantile(sdk, 0.5):0.0} ms | {Quantile(plain, 0.5):0.0} ms | {median:0.00} | {Quantile(ratios, 0.25):0.00}–{Quantile(ratios, 0.75):0.00} | {walMiB:0.0} MiB |"));

        var failed = false;
        if (maxRatio is { } max && median > max)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Trim regression: choosing and removing the rows took {median:0.00}× a plain delete of them (median round); the gate is {max:0.00}×."));
            failed = true;
        }

        if (maxWalMiB is { } maxWal && walMiB > maxWal)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Trim regression: the trim wrote {walMiB:0.0} MiB into the write-ahead log; the gate is {maxWal:0.0} MiB."));
            failed = true;
        }

        return failed ? 1 : 0;
    }

    private static double TimeEvict(CacheFolder folder, string pristine, long budget, long target, long expiredBefore, long now, int expected)
    {
        Restore(folder, pristine);
        using var index = MediaIndex.Open(folder.Paths.IndexFile);
        Settle();
        var clock = Stopwatch.StartNew();
        var removed = index.Evict(budget, target, expiredBefore, now, keep: null).Evicted.Count;
        var elapsed = clock.Elapsed.TotalMilliseconds;
        return removed == expected ? elapsed : throw new InvalidOperationException($"The trim removed {removed} rows, not {expected}.");
    }

    private static double TimePlainDelete(CacheFolder folder, string pristine, MediaKey[] keys)
    {
        Restore(folder, pristine);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = folder.Paths.IndexFile, Pooling = false }.ToString());
        connection.Open();
        using (var pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384;";
            pragmas.ExecuteNonQuery();
        }

        Settle();
        var clock = Stopwatch.StartNew();
        var removed = 0;
        using (var transaction = connection.BeginTransaction())
        using (var delete = connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM entries WHERE exercise_id = $id AND kind = $kind AND variant = $variant";
            var id = delete.Parameters.Add("$id", SqliteType.Text);
            var kind = delete.Parameters.Add("$kind", SqliteType.Integer);
            var variant = delete.Parameters.Add("$variant", SqliteType.Text);
            delete.Prepare();
            foreach (var key in keys)
            {
                id.Value = key.ExerciseId;
                kind.Value = (int)key.Kind;
                variant.Value = key.Variant;
                removed += delete.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        var elapsed = clock.Elapsed.TotalMilliseconds;
        return removed == keys.Length ? elapsed : throw new InvalidOperationException($"The plain delete removed {removed} rows, not {keys.Length}.");
    }

    private static void Restore(CacheFolder folder, string pristine)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in (string[])["-wal", "-shm"])
        {
            File.Delete(folder.Paths.IndexFile + suffix);
        }

        File.Copy(pristine, folder.Paths.IndexFile, overwrite: true);
    }

    private static long WalLength(CacheFolder folder) =>
        File.Exists(folder.Paths.IndexFile + "-wal") ? new FileInfo(folder.Paths.IndexFile + "-wal").Length : 0;

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static double Quantile(List<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        var position = (sorted.Length - 1) * q;
        var low = (int)Math.Floor(position);
        var high = (int)Math.Ceiling(position);
        return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
    }
}
