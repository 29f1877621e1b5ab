using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Sync;

/// <summary>Ids and names from the server with terminal escapes reach the logs and the report escaped, never raw.</summary>
public sealed class SyncSchedulerHostileTextTests : OriginTestBase
{
    /// <summary>Retitles the terminal, rings the bell, clears the screen; a line break forges a log line.</summary>
    private const string Escapes = "\u001B]0;owned\u0007\u001B[2J\r\nfake: ";

    private const string WorkoutId = "w-1" + Escapes;

    protected override FakeMediaCatalog CreateCatalog() => new FakeMediaCatalog()
        .AddPhoneExercise("squat")
        .AddWorkout(WorkoutId, "Legs" + Escapes, DateTimeOffset.UtcNow.AddHours(2), "squat");

    [Fact]
    public async Task RetryFailed_WorkoutIdWithTerminalEscapesIsGone_LogsAndReasonsCarryNoControlCharacter()
    {
        Origin.Faults.Set(Origin.Catalog.GetVariant("squat", FakeMediaKind.Image, "medium"), FakeFault.Status(404));
        await using var host = new SyncHost(Root, Origin.BaseAddress);
        var report = await host.Scheduler.SyncUpcomingAsync();
        Origin.Catalog.RemoveWorkout(WorkoutId);

        await host.Scheduler.RetryFailedAsync(); // Reads the workout again: it is gone, which is logged with its id.

        Assert.Equal(SyncOutcome.Partial, report.Outcome);
        var gone = Assert.Single(host.Logs.GetSnapshot(), e => e.Id.Id == 39);
        Assert.Contains(@"w-1\u001B]0;owned\u0007\u001B[2J\u000D\u000Afake: ", gone.Message, StringComparison.Ordinal); // Shown, escaped.
        Assert.All(host.Logs.GetSnapshot(), e => Assert.False(HasControl(e.Message + e.Exception), e.Message));
        Assert.All(report.Items, i => Assert.False(HasControl(i.Reason), i.Reason));
        Assert.False(HasControl(report.Reason), report.Reason);
    }

    private static bool HasControl(string? text) => text is not null && text.Any(char.IsControl);
}
