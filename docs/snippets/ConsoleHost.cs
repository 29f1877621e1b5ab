#region console-host
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OfflineMedia.Resolution;
using OfflineMedia.Sync;
using OfflineMedia.Variants;

#endregion

namespace OfflineMedia.Snippets;

internal static class ConsoleHost
{
    public static async Task RunAsync(string[] args)
    {
        #region console-host
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddOfflineMedia(options =>
        {
            options.ApiBaseAddress = new Uri("https://api.example.com/");
            options.CacheDirectory = Path.Combine(
                Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "MyGymApp", "media");
        });
        using var host = builder.Build();
        await host.StartAsync(); // Validates the options: a bad value fails here, naming the option.

        // Before the workout: download the right variants of the upcoming week's media.
        var report = await host.Services.GetRequiredService<ISyncScheduler>().SyncUpcomingAsync();
        Console.WriteLine($"{report.Outcome}: {report.Downloaded} downloaded, {report.Cached} already cached, {report.Failed} failed");

        // In the gym: a local file, else the remote URL when online, else why not.
        var resolver = host.Services.GetRequiredService<IMediaSourceResolver>();
        var video = await resolver.ResolveAsync("squat", MediaKind.Video);
        Console.WriteLine(video.LocalPath ?? video.RemoteUrl?.ToString() ?? video.Reason);
        #endregion
    }
}
