using System.Diagnostics;
using System.Globalization;
using System.IO.Abstractions;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging.Abstractions;
using OfflineMedia.Benchmarks.Sync;
using OfflineMedia.Cache;
using OfflineMedia.Playback;
using OfflineMedia.Playback.Internal;
using OfflineMedia.Resolution;
using OfflineMedia.Variants;

namespace OfflineMedia.Benchmarks.Playback;

/// <summary>
/// A player's reads of a cached 20 MB video through the local media server (<see cref="ILocalMediaServer"/>: HTTP on
/// 127.0.0.1, one <c>Range</c> request of 1 MiB per read, on one kept-alive connection) against reading the same ranges of
/// the file directly (one <see cref="FileStream"/>, a seek and a read per range), in alternating rounds in one process,
/// each round reading every range of the file once in a shuffled order, the same for both. The ratio per round is the
/// server's throughput over the direct reads'; it does not depend on how fast or loaded the machine is, as a time would.
/// A third side in each round, a bare socket serving the same ranges (<see cref="LoopbackFileSocket"/>), is the limit any
/// server on 127.0.0.1 meets; the server's throughput over it is the share of the loopback's the server's HTTP costs.
/// Run with <c>--paired-local-server [--warmup N] [--rounds N]</c>; prints one markdown row.
/// </summary>
internal static class PairedLocalServerRun
{
    public const int DefaultWarmupRounds = 3;
    public const int DefaultMeasuredRounds = 15;

    private const int FileBytes = 20 * 1024 * 1024;
    private const int RangeBytes = 1024 * 1024;

    public static async Task RunAsync(int warmupRounds, int measuredRounds)
    {
        var folder = Directory.CreateTempSubdirectory("offline-media-bench-");
        try
        {
            var path = Path.Combine(folder.FullName, "720p.mp4");
            var bytes = new byte[FileBytes];
            new Random(20).NextBytes(bytes);
            await File.WriteAllBytesAsync(path, bytes).ConfigureAwait(false);

            await using var server = new LocalMediaServer(new NoStreams(), new FileSystem(), NullLogger<LocalMediaServer>.Instance);
            var cached = new ResolvedMedia { ExerciseId = "squat", Kind = MediaKind.Video, Source = MediaSourceKind.Local, Variant = "720p", LocalPath = path };
            var url = await server.GetUrlAsync(cached, CancellationToken.None).ConfigureAwait(false);
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
            var buffer = new byte[RangeBytes];
            var offsets = Enumerable.Range(0, FileBytes / RangeBytes).Select(static i => (long)i * RangeBytes).ToArray();
            var random = new Random(7);
            await using var socket = new LoopbackFileSocket(path, RangeBytes);

            List<double> direct = [], served = [], ratios = [], bare = [], ofBare = [];
            for (var round = 0; round < warmupRounds + measuredRounds; round++)
            {
                random.Shuffle(offsets);
                double directMs, servedMs, bareMs;
                if (round % 2 == 0)
                {
                    directMs = await TimeAsync(() => ReadDirectAsync(path, offsets, buffer)).ConfigureAwait(false);
                    servedMs = await TimeAsync(() => ReadServedAsync(http, url, offsets, buffer)).ConfigureAwait(false);
                    bareMs = await TimeAsync(() => socket.ReadAsync(offsets, buffer)).ConfigureAwait(false);
                }
                else
                {
                    bareMs = await TimeAsync(() => socket.ReadAsync(offsets, buffer)).ConfigureAwait(false);
                    servedMs = await TimeAsync(() => ReadServedAsync(http, url, offsets, buffer)).ConfigureAwait(false);
                    directMs = await TimeAsync(() => ReadDirectAsync(path, offsets, buffer)).ConfigureAwait(false);
                }

                if (round >= warmupRounds)
                {
                    direct.Add(directMs);
                    served.Add(servedMs);
                    bare.Add(bareMs);
                    ratios.Add(directMs / servedMs);
                    ofBare.Add(bareMs / servedMs);
                }
            }

            Console.WriteLine($"Paired local media server: a cached {FileBytes / 1024 / 1024} MiB file read in {RangeBytes / 1024 / 1024} MiB ranges, "
                + $"{warmupRounds} warm-up and {measuredRounds} measured rounds of each, which goes first alternating.");
            Console.WriteLine();
            Console.WriteLine("| File | Range | Reads per round | Direct, median | Local server, median | Bare loopback socket, median | Server / direct throughput, median round | Quartiles | Server / bare socket, median round |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {FileBytes / 1024 / 1024} MiB | {RangeBytes / 1024 / 1024} MiB | {offsets.Length} | {PairedSyncResult.Median(direct):0.0} ms | {PairedSyncResult.Median(served):0.0} ms "
                + $"| {PairedSyncResult.Median(bare):0.0} ms | {PairedSyncResult.Median(ratios):0.00}× | {PairedSyncResult.Quantile(ratios, 0.25):0.00}–{PairedSyncResult.Quantile(ratios, 0.75):0.00}× "
                + $"| {PairedSyncResult.Median(ofBare):0.00}× |"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<double> TimeAsync(Func<Task> read)
    {
        var started = Stopwatch.GetTimestamp();
        await read().ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task ReadDirectAsync(string path, long[] offsets, byte[] buffer)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous);
        foreach (var offset in offsets)
        {
            file.Seek(offset, SeekOrigin.Begin);
            await file.ReadExactlyAsync(buffer).ConfigureAwait(false);
        }
    }

    private static async Task ReadServedAsync(HttpClient http, Uri url, long[] offsets, byte[] buffer)
    {
        foreach (var offset in offsets)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Range = new RangeHeaderValue(offset, offset + buffer.Length - 1);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                await body.ReadExactlyAsync(buffer).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A cached file is served from disk and never opens a read-through stream; none is needed here.</summary>
    private sealed class NoStreams : IMediaStreams
    {
        public Task<MediaReadStream> OpenReadAsync(MediaKey key, MediaSource source, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The benchmark serves a cached file only.");

        public Task<MediaReadStream> OpenReadAsync(ResolvedMedia media, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The benchmark serves a cached file only.");
    }
}
