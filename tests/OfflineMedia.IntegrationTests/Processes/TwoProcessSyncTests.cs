using System.Globalization;
using OfflineMedia.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OfflineMedia.IntegrationTests.Processes;

/// <summary>
/// Two processes on one cache folder, as an app and its background task (or an iOS app and its extension) are: both
/// sync the same week at the same time, and each file comes from the origin once.
/// </summary>
[Collection(ProcessTestGroup.Name)]
public sealed class TwoProcessSyncTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Cache => Path.Combine(_temp.Path, "cache");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Sync_TwoProcessesOnOneFolderAtOnce_BothCompleteAndTheOriginServesEachFileOnce()
    {
        await using var origin = await ProcessOrigin.StartWeekAsync();

        await using var app = ChildProcess.StartSample(origin.SampleArguments(Cache));
        await using var task = ChildProcess.StartSample(origin.SampleArguments(Cache));
        var exits = await Task.WhenAll(app.WaitForExitAsync(), task.WaitForExitAsync());
        await origin.Requests.WaitIdleAsync();

        var bodies = origin.Requests.BodiesByPath();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"exits {exits[0]} and {exits[1]}; media paths {bodies.Count}, served twice or more {bodies.Count(p => p.Count() > 1)}, " +
            $"bytes served {origin.Requests.MediaBytesServed()}"));
        foreach (var (process, name) in new[] { (app, "first"), (task, "second") })
        {
            Assert.True(process.HasExited && process.Stdout.Length > 0, $"The {name} process wrote no report.\n{process.Describe()}");
            var report = ProcessOrigin.Report(process.Stdout);
            output.WriteLine($"{name}: {report.Outcome}, {report.Totals.Downloaded} downloaded, {report.Totals.Cached} cached, {report.Totals.Failed} failed");
            Assert.True(report.Outcome == "complete", $"The {name} process ended {report.Outcome}: {report.Reason}\n{ProcessOrigin.Problems(report)}");
        }

        var twice = bodies.Where(p => p.Count() > 1).Select(p => $"{p.Key}: {string.Join(", ", p)}").ToList();
        Assert.True(twice.Count == 0, $"Served more than once:\n{string.Join('\n', twice)}");

        // A third run finds everything cached: it downloads nothing.
        var before = origin.Requests.MediaRequests().Count;
        await using var third = ChildProcess.StartSample(origin.SampleArguments(Cache));
        Assert.True(await third.WaitForExitAsync() == 0, third.Describe());
        var again = ProcessOrigin.Report(third.Stdout);
        Assert.Equal(0, again.Totals.Downloaded);
        Assert.DoesNotContain(origin.Requests.MediaRequests().Skip(before), r => r.BodyBytesSent > 0);
    }
}
