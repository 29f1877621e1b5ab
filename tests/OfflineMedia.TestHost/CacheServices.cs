using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace OfflineMedia.TestHost;

/// <summary>The SDK wired as an app wires it, on the cache folder of the command line; warnings and errors logged to stderr.</summary>
internal static class CacheServices
{
    public static ServiceProvider Build(HostArguments arguments)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true));
        services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        if (Environment.GetEnvironmentVariable("OFFLINEMEDIA_KILL_IN_GROUP") == "1")
        {
            services.AddSingleton<System.IO.Abstractions.IFileSystem>(new KillInGroupFileSystem(arguments.CacheDirectory));
        }

        services.AddOfflineMedia(o =>
        {
            o.ApiBaseAddress = arguments.Api;
            o.CacheDirectory = arguments.CacheDirectory;
            o.StorageReserveBytes = 0;
        });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
