using Microsoft.Extensions.DependencyInjection;
using OfflineMedia.Cache;

namespace OfflineMedia.TestHost;

/// <summary>
/// An app syncing: downloads every item at once, printing <c>cached KEY</c> as each is reported cached, then <c>done</c>.
/// </summary>
internal static class DownloadAll
{
    public static async Task<int> RunAsync(IServiceProvider services, HostArguments arguments, TextWriter stdout, CancellationToken cancellationToken)
    {
        var cache = services.GetRequiredService<IMediaCache>();
        var gate = new object();
        await Task.WhenAll(arguments.Items.Select(async item =>
        {
            await cache.GetOrDownloadAsync(item.Key, item.Source, cancellationToken: cancellationToken);
            lock (gate)
            {
                stdout.WriteLine($"cached {item.Key.ExerciseId}/{item.Key.Kind}/{item.Key.Variant}");
                stdout.Flush();
            }
        }));
        stdout.WriteLine("done");
        return 0;
    }
}
