using System.Diagnostics;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Sample;

/// <summary>
/// The sample as a terminal runs it, a child process, against a server whose workout id and name carry terminal
/// escapes: its tables and its console log show them escaped, and no ESC or BEL reaches the output.
/// </summary>
public sealed class SampleConsoleEscapeTests : IAsyncLifetime
{
    /// <summary>Retitles the terminal, rings the bell, clears the screen, turns the text red; brackets are Spectre markup.</summary>
    private const string Escapes = "\u001B]0;owned\u0007\u001B[2J\u001B[31m[red]";

    private readonly TempDirectory _temp = new();
    private FakeMediaOrigin _origin = null!;

    public async Task InitializeAsync()
    {
        var catalog = new FakeMediaCatalog()
            .AddPhoneExercise("squat")
            .AddPhoneExercise("lunge")
            .AddWorkout("w-1" + Escapes, "Legs" + Escapes, DateTimeOffset.UtcNow.AddHours(2), "squat", "lunge");
        _origin = await FakeMediaOrigin.StartAsync(catalog);

        // One file fails, so the sample logs a warning and lists a reason too.
        _origin.Faults.Set(catalog.GetVariant("lunge", FakeMediaKind.Image, "medium"), FakeFault.Status(404));
    }

    public async Task DisposeAsync()
    {
        await _origin.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Run_WorkoutIdAndNameWithTerminalEscapes_PrintsThemEscaped()
    {
        var (exit, stdout, stderr) = await RunSampleAsync("--api", _origin.BaseAddress.ToString(), "--cache", Path.Combine(_temp.Path, "cache"));

        Assert.True(exit == 2, $"exit {exit}\n{stderr}\n{stdout}"); // Partial: the one failed file.
        Assert.Contains(@"Legs\u001B]0;owned\u0007\u001B[2J\u001B[31m[red]", stdout, StringComparison.Ordinal);
        Assert.Contains("warn:", stderr, StringComparison.Ordinal);
        foreach (var (name, text) in (ReadOnlySpan<(string, string)>)[("stdout", stdout), ("stderr", stderr)])
        {
            Assert.False(text.Contains('\u001B', StringComparison.Ordinal), $"ESC in {name}:\n{text}");
            Assert.False(text.Contains('\u0007', StringComparison.Ordinal), $"BEL in {name}:\n{text}");
        }
    }

    /// <summary>Runs the sample's build output (referenced by this project, so beside it) with its output redirected.</summary>
    private static async Task<(int Exit, string Stdout, string Stderr)> RunSampleAsync(params string[] args)
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
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The sample did not finish in time.\n{await stderr}\n{await stdout}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
