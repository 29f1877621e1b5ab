using System.Diagnostics;
using System.Globalization;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Testing;
using Xunit.Abstractions;

namespace OfflineMedia.IntegrationTests.Processes;

/// <summary>
/// The system kills an app whenever it likes: a sync run by the sample in a process of its own, ended with SIGKILL at
/// random moments, then run to the end. Nothing finished is lost, nothing is fetched twice over, nothing is left behind.
/// </summary>
[Collection(ProcessTestGroup.Name)]
public sealed class AppKillTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 12;

    /// <summary>Set to replay the kill moments of an earlier run; its seed is in the test's output.</summary>
    private const string SeedVariable = "OFFLINEMEDIA_KILL_SEED";

    private readonly TempDirectory _temp = new();

    private string Cache => Path.Combine(_temp.Path, "cache");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Sync_KilledAtRandomMomentsThenRunToTheEnd_EveryFileIsTheOriginsAndFetchedAboutOnce()
    {
        var seed = Environment.GetEnvironmentVariable(SeedVariable) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : Random.Shared.Next();
        output.WriteLine($"seed {seed} (replay with {SeedVariable}={seed})");
        var random = new Random(seed);
        await using var origin = await ProcessOrigin.StartWeekAsync();

        var kills = 0;
        var committed = new List<string>();
        var lost = new List<string>();
        while (kills < Kills)
        {
            var moment = await RunAndKillAsync(origin, random);
            Assert.True(moment is not null, $"The sync ran to its end after {kills} kills; it should take longer than {Kills} kills let it run.");
            kills++;

            // A file the index recorded as cached before a kill is still recorded after the next (nothing is evicted here).
            var now = CacheFolder.CommittedFiles(Cache);
            var gone = committed.Except(now, StringComparer.Ordinal).ToList();
            lost.AddRange(gone);
            committed = now;
            output.WriteLine($"kill {kills}: {moment}; {now.Count} files cached, {CacheFolder.TempFiles(Cache).Length} partial files" +
                (gone.Count > 0 ? $"; lost since the kill before: {string.Join(", ", gone)}" : string.Empty));
        }

        await using var last = ChildProcess.StartSample(origin.SampleArguments(Cache));
        var exit = await last.WaitForExitAsync();
        await origin.Requests.WaitIdleAsync();

        Assert.True(exit == 0, last.Describe());
        var report = ProcessOrigin.Report(last.Stdout);
        Assert.True(report.Outcome == "complete", ProcessOrigin.Problems(report));
        var needed = 0L;
        foreach (var item in report.Items)
        {
            var variant = origin.Catalog.VariantOf(item);
            needed += variant.SizeBytes;
            Assert.NotNull(item.Path);
            Assert.True(File.Exists(item.Path), $"{variant} is not on disk at {item.Path}");
            Assert.Equal(variant.SizeBytes, new FileInfo(item.Path).Length);
            Assert.True(variant.Sha256 == CacheFolder.Sha256(item.Path), $"{item.Path} is not the origin's {variant}");
        }

        // Every file in the media folder is one the report lists, and nothing is left in tmp/.
        Assert.Equal(report.Items.Select(i => i.Path!).Order(StringComparer.Ordinal), CacheFolder.MediaFiles(Cache));
        Assert.Empty(CacheFolder.TempFiles(Cache));

        var served = origin.Requests.MediaBytesServed();
        var ratio = (double)served / needed;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"kills {kills}, files {report.Items.Count}, bytes needed {needed}, bytes served {served}, ratio {ratio:0.000}, " +
            $"media requests {origin.Requests.MediaRequests().Count}, resumed (206) {origin.Requests.MediaRequests().Count(r => r.StatusCode == 206)}"));
        foreach (var path in origin.Requests.BodiesByPath().Where(p => p.Count() > 1))
        {
            output.WriteLine($"{path.Key}: {string.Join("; ", path.Select(r => $"{r.StatusCode} {r.Range ?? "whole"} {r.BodyBytesSent} bytes{(r.WasAborted ? " aborted" : "")}"))}");
        }

        Assert.True(lost.Count == 0, $"Files cached before a kill were gone after the next run: {string.Join(", ", lost)}");
        Assert.True(served <= needed * 1.15, $"The origin served {served} bytes for {needed} bytes of media ({ratio:0.000}x).");
    }

    /// <summary>
    /// Runs the sample and kills it at a random moment: mostly a moment after its first media request, sometimes a moment
    /// after it started (opening the cache, reading the catalog). Returns the moment, or null when the run ended on its own first.
    /// </summary>
    private async Task<string?> RunAndKillAsync(FakeMediaOrigin origin, Random random)
    {
        var fromStart = random.Next(4) == 0;
        var delay = TimeSpan.FromMilliseconds(random.Next(1500));
        var requestsBefore = origin.Requests.MediaRequests().Count;
        await using var sample = ChildProcess.StartSample(origin.SampleArguments(Cache));
        var exited = sample.WaitForExitAsync();
        if (!fromStart)
        {
            var clock = Stopwatch.StartNew();
            while (origin.Requests.MediaRequests().Count == requestsBefore && !exited.IsCompleted)
            {
                Assert.True(clock.Elapsed < ChildProcess.Timeout, $"The sample made no media request.\n{sample.Describe()}");
                await Task.Delay(5);
            }
        }

        await Task.WhenAny(Task.Delay(delay), exited);
        if (exited.IsCompleted)
        {
            output.WriteLine($"The run ended on its own (exit {await exited}).");
            return null;
        }

        sample.Kill();
        await exited;
        return string.Create(CultureInfo.InvariantCulture, $"{(fromStart ? "start" : "first media request")} + {delay.TotalMilliseconds:0} ms");
    }
}
