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
            async (i, token) =>
            {
                using var response = await client.GetAsync(urls[i], HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                // CreateNew, as the SDK creates its files: FileMode.Create truncates, which on ext4 costs a write-out at close.
                var file = new FileStream(Path.Combine(directory, i + ".mp4"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
                await using (file.ConfigureAwait(false))
                {
                    await response.Content.CopyToAsync(file, token).ConfigureAwait(false);
                    if (flushToDisk)
                    {
                        file.Flush(flushToDisk: true);
                    }
                }
            });
}
