using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OfflineMedia.Cache;
using OfflineMedia.Playback;
using OfflineMedia.Testing;

namespace OfflineMedia.Benchmarks.Playback;

/// <summary>
/// <c>--paired-read-through</c>: a 20 MB video from the fake origin with 50 ms added before its headers, read through the
/// cache (<see cref="IMediaStreams"/>, a fresh cache folder each round, so every round downloads) and streamed directly with
/// <see cref="HttpClient"/>, in alternating rounds: time to first byte and time to read it all. Then a sync and a reader of
/// the same video at once: the bytes the origin served, against the file's size.
/// </summary>
internal static class PairedReadThroughRun
{
    private const int VideoBytes = 20 * 1024 * 1024;
    private const int WarmupRounds = 2;
    private const int MeasuredRounds = 8;
    private static readonly TimeSpan s_latency = TimeSpan.FromMilliseconds(50);

    public static async Task RunAsync()
    {
        var catalog = new FakeMediaCatalog();
        catalog.AddExercise("squat", "Squat", e => e.AddVideo("720p", VideoBytes));
        await using var origin = await FakeMediaOrigin.StartAsync(catalog);
        var video = catalog.GetVariant("squat", FakeMediaKind.Video, "720p");
        origin.Faults.Set(video, FakeFault.Delay(s_latency));
        var key = new MediaKey("squat", OfflineMedia.Variants.MediaKind.Video, "720p");
        var source = new MediaSource(new Uri(origin.BaseAddress, video.Path).AbsoluteUri, video.SizeBytes);
        using var direct = new HttpClient();

        var (firstByteDelta, throughput) = await MeasureAsync(origin, key, source, direct).ConfigureAwait(false);

        // A fast network (40 MB/s), where the network sets the pace for both, as it does on a device.
        origin.Faults.Set(video, FakeFault.Throttle(40_000_000) with { Latency = s_latency });
        var (_, pacedThroughput) = await MeasureAsync(origin, key, source, direct).ConfigureAwait(false);
        origin.Faults.Set(video, FakeFault.Delay(s_latency));

        var servedRatio = await SyncAndReadAtOnceAsync(origin, video, key, source).ConfigureAwait(false);
        Console.WriteLine($"| Case | Figure | Target |");
        Console.WriteLine($"| --- | --- | --- |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Time to first byte, read-through less direct (50 ms latency), median of {MeasuredRounds} | {Median(firstByteDelta):+0.0;-0.0} ms | ≤ +5 ms |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Sequential read of 20 MB at 40 MB/s, read-through throughput / direct, median | {Median(pacedThroughput):0.00}× | ≥ 0.90× |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Sequential read of 20 MB over unpaced loopback (CPU-bound: the download also hashes and writes the file), read-through / direct, median | {Median(throughput):0.00}× | |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| A sync and a reader of the same 20 MB video at once: origin bytes / file | {servedRatio:0.00}× | ≤ 1.05× |"));
    }

    /// <summary>Alternating rounds of both: the read-through's time to first byte less the direct one's, and direct time / read-through time.</summary>
    private static async Task<(List<double> FirstByteDelta, List<double> Throughput)> MeasureAsync(FakeMediaOrigin origin, MediaKey key, MediaSource source, HttpClient direct)
    {
        var firstByteDelta = new List<double>();
        var throughput = new List<double>();
        for (var round = 0; round < WarmupRounds + MeasuredRounds; round++)
        {
            // Alternate which goes first, so neither always meets a warmer origin.
            (double First, double All) readThrough, straight;
            if (round % 2 == 0)
            {
                readThrough = await ReadThroughAsync(origin, key, source).ConfigureAwait(false);
                straight = await DirectAsync(direct, source).ConfigureAwait(false);
            }
            else
            {
                straight = await DirectAsync(direct, source).ConfigureAwait(false);
                readThrough = await ReadThroughAsync(origin, key, source).ConfigureAwait(false);
            }

            if (round >= WarmupRounds)
            {
                firstByteDelta.Add(readThrough.First - straight.First);
                throughput.Add(straight.All / readThrough.All);
            }
        }

        return (firstByteDelta, throughput);
    }

    private static async Task<(double FirstByteMs, double AllMs)> ReadThroughAsync(FakeMediaOrigin origin, MediaKey key, MediaSource source)
    {
        var folder = Path.Combine(Path.GetTempPath(), "offline-media-read-through-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var provider = Host(origin, folder);
            await provider.GetRequiredService<IMediaCache>().GetUsageAsync().ConfigureAwait(false); // Opened, as a running app has it.
            var streams = provider.GetRequiredService<IMediaStreams>();
            var buffer = new byte[128 * 1024];
            var started = Stopwatch.GetTimestamp();
            await using var stream = await streams.OpenReadAsync(key, source).ConfigureAwait(false);
            var read = await stream.ReadAsync(buffer).ConfigureAwait(false);
            var first = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            long total = read;
            while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            Check(total);
            var all = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await CachedAsync(provider, key).ConfigureAwait(false); // Its download commits after the last byte is read.
            return (first, all);
        }
        finally
        {
            TryDelete(folder);
        }
    }

    private static async Task CachedAsync(ServiceProvider provider, MediaKey key)
    {
        var cache = provider.GetRequiredService<IMediaCache>();
        while (await cache.TryGetAsync(key).ConfigureAwait(false) is null)
        {
            await Task.Delay(5).ConfigureAwait(false);
        }
    }

    private static async Task<(double FirstByteMs, double AllMs)> DirectAsync(HttpClient client, MediaSource source)
    {
        var buffer = new byte[128 * 1024];
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(source.Url, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        var read = await body.ReadAsync(buffer).ConfigureAwait(false);
        var first = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        long total = read;
        while ((read = await body.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        Check(total);
        return (first, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>A sync's download and a player's stream of one file at once, the origin paced at 20 MB/s so they overlap.</summary>
    private static async Task<double> SyncAndReadAtOnceAsync(FakeMediaOrigin origin, FakeMediaVariant video, MediaKey key, MediaSource source)
    {
        origin.Faults.Set(video, FakeFault.Throttle(20 * 1024 * 1024) with { Latency = s_latency });
        var before = origin.Requests.ForPath(video).Sum(r => r.BodyBytesSent);
        var folder = Path.Combine(Path.GetTempPath(), "offline-media-read-through-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var provider = Host(origin, folder);
            var sync = provider.GetRequiredService<IMediaCache>().GetOrDownloadAsync(key, source);
            await using (var stream = await provider.GetRequiredService<IMediaStreams>().OpenReadAsync(key, source).ConfigureAwait(false))
            {
                Check(await CountAsync(stream).ConfigureAwait(false));
            }

            await sync.ConfigureAwait(false);
            while (origin.Requests.ForPath(video).Any(r => !r.IsCompleted))
            {
                await Task.Delay(10).ConfigureAwait(false);
            }

            return (double)(origin.Requests.ForPath(video).Sum(r => r.BodyBytesSent) - before) / VideoBytes;
        }
        finally
        {
            origin.Faults.Set(video, FakeFault.Delay(s_latency));
            TryDelete(folder);
        }
    }

    private static async Task<long> CountAsync(Stream stream)
    {
        var buffer = new byte[128 * 1024];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return total;
    }

    private static ServiceProvider Host(FakeMediaOrigin origin, string folder)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOfflineMedia(o =>
        {
            o.ApiBaseAddress = origin.BaseAddress;
            o.CacheDirectory = folder;
            o.StorageReserveBytes = 0;
        })
        .UseConnectivityProbe(new FakeConnectivityProbe())
        .UseStorageProbe(FakeStorageProbe.WithGigabytes(100));
        return services.BuildServiceProvider();
    }

    private static void Check(long total)
    {
        if (total != VideoBytes)
        {
            throw new InvalidOperationException($"Read {total} of {VideoBytes} bytes: a broken run must not post a time.");
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Gone already, or a file still closing: the temp folder is the OS's to clean.
        }
    }
}
