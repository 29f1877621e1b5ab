using System.Diagnostics;

namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>
/// Runs the sample as an app runs, in a process of its own: its build output sits beside the tests (they reference it),
/// started with <c>dotnet</c> and its output redirected. Claims about the host (exit codes, what reaches a terminal) are
/// made of that process, never of the sample's code called in this one.
/// </summary>
internal static class SampleProcess
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
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
            throw new TimeoutException($"The sample did not exit within {s_timeout}.\n{await stderr}\n{await stdout}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
