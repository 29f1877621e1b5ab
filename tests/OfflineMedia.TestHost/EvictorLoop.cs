using Microsoft.Extensions.DependencyInjection;
using OfflineMedia.Cache;

namespace OfflineMedia.TestHost;

/// <summary>
/// A second process lowering the cache's budget: fills the cache, says <c>ready</c>, then in rounds until its standard
/// input closes, downloads what is missing and trims to a budget drawn between none and half of what the files take.
/// </summary>
internal static class EvictorLoop
{
    public static async Task<int> RunAsync(IServiceProvider services, HostArguments arguments, TextWriter stdout, TextReader stdin, CancellationToken cancellationToken)
    {
        var cache = services.GetRequiredService<IMediaCache>();
        var random = new Random(arguments.Seed);
        var total = arguments.Items.Sum(i => i.Source.ExpectedBytes ?? 0);
        var errors = await FillAsync(cache, arguments.Items, stdout, cancellationToken);
        await stdout.WriteLineAsync("ready");
        await stdout.FlushAsync(cancellationToken);

        using var inputClosed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = Task.Run(async () =>
        {
            await stdin.ReadToEndAsync(CancellationToken.None);
            await inputClosed.CancelAsync();
        }, CancellationToken.None);

        long rounds = 0, evicted = 0;
        while (!inputClosed.IsCancellationRequested)
        {
            try
            {
                var trim = await cache.TrimAsync(random.NextInt64(total / 2), inputClosed.Token);
                evicted += trim.EvictedCount;
                rounds++;
                errors += await FillAsync(cache, arguments.Items, stdout, inputClosed.Token);
            }
            catch (OperationCanceledException) when (inputClosed.IsCancellationRequested)
            {
                break;
            }
        }

        await stdout.WriteLineAsync($"summary rounds={rounds} evicted={evicted} errors={errors}");
        return 0;
    }

    /// <summary>Downloads every file not cached, four at a time; returns how many failed (each is reported).</summary>
    private static async Task<int> FillAsync(IMediaCache cache, IReadOnlyList<HostItem> items, TextWriter stdout, CancellationToken cancellationToken)
    {
        var errors = 0;
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (item, token) =>
        {
            try
            {
                await cache.GetOrDownloadAsync(item.Key, item.Source, progress: null, token);
            }
            catch (MediaCacheException ex)
            {
                Interlocked.Increment(ref errors);
                await stdout.WriteLineAsync($"error {item.Key} {ex.Error}: {ex.Message}");
            }
        });
        return errors;
    }
}
