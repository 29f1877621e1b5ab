using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OfflineMedia.IntegrationTests.Infrastructure;

namespace OfflineMedia.IntegrationTests.Sample;

/// <summary>
/// The sample as its own process (<c>dotnet OfflineMedia.Sample.Console.dll</c>), where the claim is about the process:
/// whatever goes wrong, it exits with a code and a line, never an unhandled exception that aborts it.
/// </summary>
[Collection(nameof(SampleAppTests))]
public sealed class SampleHostCrashTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new();

    private string Cache => Path.Combine(_temp.Path, "cache");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Run_SyncStateThatCannotBeOpened_ExitsWith1AndOneLineInsteadOfAnUnhandledException()
    {
        // A folder where the sync state's file should be: it can be neither opened nor deleted to be rebuilt.
        Directory.CreateDirectory(Path.Combine(Cache, "sync.db"));

        var (exit, stdout, stderr) = await RunSampleAsync("--cache", Cache);

        Assert.True(exit == 1, $"exit {exit}: {stderr}");
        // The log's warning that the state is rebuilt comes first; the failure is one line.
        var line = Assert.Single(Lines(stderr), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.Contains("sync.db", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_EmptyCacheFolderArgument_ExitsWith1AndSaysWhy()
    {
        var (exit, stdout, stderr) = await RunSampleAsync("--cache", string.Empty);

        Assert.True(exit == 1, $"exit {exit}: {stderr}");
        Assert.Equal("--cache needs a folder path; '' is not one.", Assert.Single(Lines(stderr)));
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task Run_ApiSchedulesAWorkoutOnTheLastSecondOf9999_SyncsWithoutCrashing()
    {
        const string Upcoming = """[{"id": "w-far", "name": "Far Away", "scheduledAt": "9999-12-31T23:59:59Z", "exercises": []}]""";
        await using var api = await JsonApi.StartAsync(new Dictionary<string, string> { ["/api/workouts/upcoming"] = Upcoming });

        var (exit, stdout, stderr) = await RunSampleAsync("--api", api.BaseAddress.ToString(), "--cache", Cache, "--json");

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.Contains("\"w-far\"", stdout, StringComparison.Ordinal);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task<(int Exit, string Stdout, string Stderr)> RunSampleAsync(params string[] args)
    {
        // The sample's build output sits beside the tests (they reference it); run it as an app runs, in its own process.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OfflineMedia.Sample.Console.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(s_timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The sample did not exit within {s_timeout}.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A server on 127.0.0.1 that answers fixed JSON documents by path (and 404 otherwise): an API that says what a test wants.</summary>
    private sealed class JsonApi : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private JsonApi(WebApplication app, Uri baseAddress)
        {
            _app = app;
            BaseAddress = baseAddress;
        }

        public Uri BaseAddress { get; }

        public static async Task<JsonApi> StartAsync(Dictionary<string, string> documents)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.Run(context =>
            {
                if (!documents.TryGetValue(context.Request.Path.Value ?? string.Empty, out var json))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                context.Response.ContentType = "application/json";
                return context.Response.WriteAsync(json);
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new JsonApi(app, new Uri(address + "/"));
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
