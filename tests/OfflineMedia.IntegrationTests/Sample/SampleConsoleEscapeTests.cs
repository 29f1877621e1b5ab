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
        var (exit, stdout, stderr) = await SampleProcess.RunAsync("--api", _origin.BaseAddress.ToString(), "--cache", Path.Combine(_temp.Path, "cache"));

        Assert.True(exit == 2, $"exit {exit}\n{stderr}\n{stdout}"); // Partial: the one failed file.
        Assert.Contains(@"Legs\u001B]0;owned\u0007\u001B[2J\u001B[31m[red]", stdout, StringComparison.Ordinal);
        Assert.Contains("warn:", stderr, StringComparison.Ordinal);
        foreach (var (name, text) in (ReadOnlySpan<(string, string)>)[("stdout", stdout), ("stderr", stderr)])
        {
            Assert.False(text.Contains('\u001B', StringComparison.Ordinal), $"ESC in {name}:\n{text}");
            Assert.False(text.Contains('\u0007', StringComparison.Ordinal), $"BEL in {name}:\n{text}");
        }
    }

}
