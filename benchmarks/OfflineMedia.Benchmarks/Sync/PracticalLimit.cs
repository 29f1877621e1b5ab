using System.Text.Json;

namespace OfflineMedia.Benchmarks.Sync;

/// <summary>
/// The practical limit of a sync on this machine: the same media URLs over one shared <see cref="HttpClient"/>,
/// <c>parallelism</c> at a time, each response streamed (<c>ResponseHeadersRead</c>) with <c>CopyToAsync</c>
/// into its own file. No API calls, no verification, no index. With <c>flushToDisk</c>, each file is also
/// flushed to disk (<c>fsync</c>) when complete, as the SDK must before it reports a file cached: the limit of
/// a durable sync.
/// </summary>
internal static class PracticalLimit
{
    public static Task DownloadAsync(HttpClient client, IReadOnlyList<Uri> urls, string directory, int parallelism, bool flushToDisk = false) =>
        Parallel.ForEachAsync(
            Enumerable.Range(0, urls.Count),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism },
            (i, token) => DownloadOneAsync(client, urls[i], Path.Combine(directory, i + ".mp4"), flushToDisk, token));

    /// <summary>
    /// The limit of any client of the media API: for each exercise, <c>parallelism</c> at a time, what the server contract
    /// requires before a file (its media info, the JSON read for the variant's URL), then the file as above. What it leaves
    /// out is the SDK's own work: the plan, verification, the index, the folder per exercise, the move into place, the flush.
    /// </summary>
    public static Task DownloadWithMediaInfoAsync(HttpClient client, IReadOnlyList<Uri> mediaInfoUrls, string variant, string directory, int parallelism) =>
        Parallel.ForEachAsync(
            Enumerable.Range(0, mediaInfoUrls.Count),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism },
            async (i, token) =>
            {
                Uri url;
                using (var info = await client.GetAsync(mediaInfoUrls[i], HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false))
                {
                    info.EnsureSuccessStatusCode();
                    var body = await info.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
                    using var json = await JsonDocument.ParseAsync(body, cancellationToken: token).ConfigureAwait(false);
                    url = new Uri(client.BaseAddress!, json.RootElement.GetProperty("videos").GetProperty(variant).GetString());
                }

                await DownloadOneAsync(client, url, Path.Combine(directory, i + ".mp4"), flushToDisk: false, token).ConfigureAwait(false);
            });

    private static async ValueTask DownloadOneAsync(HttpClient client, Uri url, string path, bool flushToDisk, CancellationToken token)
    {
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        // CreateNew, as the SDK creates its files: FileMode.Create truncates, which on ext4 costs a write-out at close.
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            await response.Content.CopyToAsync(file, token).ConfigureAwait(false);
            if (flushToDisk)
            {
                file.Flush(flushToDisk: true);
            }
        }
    }
}
