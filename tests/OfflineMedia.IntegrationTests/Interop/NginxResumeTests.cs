using System.Globalization;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Interop;

/// <summary>
/// A video cut off mid-body (the app cancels its sync, then restarts) resumes from nginx with <c>Range</c> and an
/// <c>If-Range</c> of nginx's own ETag, nginx answers 206 with only the missing bytes, and the file is byte for byte nginx's.
/// </summary>
public sealed class NginxResumeTests : NginxTestBase
{
    private const long VideoBytes = 1_500_000;
    private const long CutAfter = 150_000;

    // A first GET (no Range) trickles, so the sync can be cut mid-video; a resume (with Range) runs at full speed.
    private static readonly NginxOptions s_slowFirstGet = new()
    {
        Http = """map $http_range $media_rate { "" 200k; default 0; }""",
        Server = "location /media/ { limit_rate $media_rate; }",
    };

    protected override FakeMediaCatalog CreateCatalog() => new FakeMediaCatalog()
        .AddPhoneExercise("squat", video: VideoBytes, form: FakeVariantForm.PlainUrl)
        .AddPhoneExercise("lunge", video: VideoBytes, form: FakeVariantForm.Rich)
        .AddWorkout("w-1", "Legs", Now.AddHours(2), "squat")
        .AddWorkout("w-2", "More legs", Now.AddDays(1), "lunge");

    [Theory]
    [InlineData("squat", false)] // A plain URL: nothing but If-Range keeps other content from being spliced on.
    [InlineData("lunge", false)] // The richer form: the catalog's size and digest check the joined file too.
    [InlineData("squat", true)] // HTTP/2 over TLS: the cut is a reset stream, not a closed connection.
    public async Task SyncWorkout_CanceledMidVideoThenRunAgain_ResumesWithRangeAndIfRangeAndNginxAnswers206(string exerciseId, bool http2)
    {
        using var certificate = http2 ? TestCertificate.Create(Path.Combine(Temp.Path, "tls")) : null;
        var nginx = await StartNginxAsync(s_slowFirstGet with { Tls = certificate });
        var trust = certificate is null ? null : Trusting(certificate);
        var video = Site.Catalog.GetVariant(exerciseId, FakeMediaKind.Video, MediaVariantNames.Video720p);
        var workout = Site.Catalog.Workouts.Single(w => w.ExerciseIds.Contains(exerciseId)).Id;

        long kept;
        await using (var first = new SyncHost(Root, nginx.BaseAddress, adapt: trust))
        {
            using var cancel = new CancellationTokenSource();
            var sync = first.Scheduler.SyncWorkoutAsync(workout, cancellationToken: cancel.Token);
            await CacheFolder.WaitUntilAsync(
                () => CacheFolder.PartialFiles(Root).Any(f => new FileInfo(f).Length >= CutAfter), "the video's partial file holds bytes");
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sync);
            kept = await CacheFolder.WaitForReleasedPartialAsync(Root);
        }

        var cut = Assert.Single(await nginx.WaitForRequestsAsync(r => r.Any(IsVideo), "nginx logs the cut GET"), IsVideo);
        Assert.InRange(kept, CutAfter, VideoBytes - 1);

        await using var second = new SyncHost(Root, nginx.BaseAddress, adapt: trust); // The app started again.
        var report = await second.Scheduler.SyncWorkoutAsync(workout);

        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        AssertByteIdentical(report);
        var requests = (await nginx.SettledRequestsAsync()).Where(IsVideo).ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal((200, null, false), (cut.Status, cut.Range, cut.Completed));
        var resume = requests[1];
        Assert.Equal($"bytes={kept}-", resume.Range);
        Assert.Equal(cut.ETag, resume.IfRange); // nginx's strong ETag, as it sent it.
        Assert.Equal((206, VideoBytes - kept, true), (resume.Status, resume.BodyBytesSent, resume.Completed));
        Assert.All(requests, r => Assert.Equal(http2 ? "HTTP/2.0" : "HTTP/1.1", r.Protocol));

        bool IsVideo(NginxRequest r) => r.Path == video.Path;
    }

    [Fact]
    public async Task Sample_KilledMidVideoThenRunAgain_ResumesEveryCutVideoWithRangeAndIfRangeAndNginxAnswers206()
    {
        var nginx = await StartNginxAsync(s_slowFirstGet);
        string[] arguments = ["--api", nginx.BaseAddress.ToString(), "--cache", Root, "--json"];

        await using (var killed = ChildProcess.StartSample(arguments))
        {
            await CacheFolder.WaitUntilAsync(
                () => CacheFolder.PartialFiles(Root).Any(f => new FileInfo(f).Length >= CutAfter), "a video's partial file holds bytes");
            killed.Kill(); // SIGKILL, as a phone ends an app in the background.
        }

        await using (var again = ChildProcess.StartSample(arguments))
        {
            Assert.Equal(0, await again.WaitForExitAsync());
        }

        var videos = Site.Catalog.Workouts.SelectMany(w => w.ExerciseIds)
            .Select(id => Site.Catalog.GetVariant(id, FakeMediaKind.Video, MediaVariantNames.Video720p).Path).ToHashSet();
        var requests = (await nginx.SettledRequestsAsync()).Where(r => videos.Contains(r.Path)).GroupBy(r => r.Path).ToList();
        var cut = requests.Where(g => g.First() is { Completed: false }).ToList();
        Assert.NotEmpty(cut);
        Assert.All(cut, g =>
        {
            var (first, resume) = (g.First(), Assert.Single(g.Skip(1)));
            Assert.Equal((200, null), (first.Status, first.Range));
            Assert.Matches(@"^bytes=[1-9][0-9]*-$", resume.Range!);
            Assert.Equal(first.ETag, resume.IfRange);
            Assert.Equal((206, true), (resume.Status, resume.Completed));
            Assert.Equal(VideoBytes, long.Parse(resume.Range!["bytes=".Length..^1], CultureInfo.InvariantCulture) + resume.BodyBytesSent);
        });
        foreach (var path in videos)
        {
            Assert.Equal(CacheFolder.Sha256(Path.Combine(Site.Root, path.TrimStart('/'))), CacheFolder.Sha256(CacheFolder.MediaFiles(Root).Single(f => f.EndsWith(Path.Combine(path.Split('/')[^3], "720p.mp4"), StringComparison.Ordinal))));
        }
    }
}
