using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Sync;

/// <summary>The strategy and the network decide whether a sync may download, and a large cellular download asks first.</summary>
public sealed class SyncSchedulerNetworkPolicyTests : OriginTestBase
{
    protected override FakeMediaCatalog CreateCatalog() => new FakeMediaCatalog()
        .AddPhoneExercise("squat")
        .AddPhoneExercise("lunge")
        .AddWorkout("w-1", "Legs", DateTimeOffset.UtcNow.AddHours(2), "squat", "lunge");

    [Fact]
    public async Task SyncUpcoming_WiFiOnlyOnCellular_IsSkippedWithAReasonAndAsksNothingOfTheServer()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress, o => o.Strategy = SyncStrategy.WiFiOnly,
            network: new FakeConnectivityProbe(FakeConnectivityProbe.Cellular));

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Skipped, report.Outcome);
        Assert.Contains("Wi-Fi", report.Reason, StringComparison.Ordinal);
        Assert.Empty(report.Items);
        Assert.Equal(0, Origin.Requests.Count);
        Assert.Empty(CacheFolder.MediaFiles(Root));
    }

    [Fact]
    public async Task RunScheduled_WiFiOnlyOnCellular_ReturnsNullAndAsksNothingOfTheServer()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress, o => o.Strategy = SyncStrategy.WiFiOnly,
            network: new FakeConnectivityProbe(FakeConnectivityProbe.Cellular));

        var report = await host.Scheduler.RunScheduledAsync();

        Assert.Null(report);
        Assert.Equal(0, Origin.Requests.Count);
    }

    [Theory]
    [InlineData(SyncStrategy.WiFiOnly)]
    [InlineData(SyncStrategy.WiFiAndCellular)]
    public async Task SyncUpcoming_CaptivePortal_IsNotInternetSoTheSyncIsSkipped(SyncStrategy strategy)
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress, o => o.Strategy = strategy,
            network: new FakeConnectivityProbe(FakeConnectivityProbe.CaptivePortal));

        var report = await host.Scheduler.SyncUpcomingAsync();
        var scheduled = await host.Scheduler.RunScheduledAsync();

        Assert.Equal(SyncOutcome.Skipped, report.Outcome);
        Assert.Contains("captive portal", report.Reason, StringComparison.Ordinal);
        Assert.Null(scheduled);
        Assert.Equal(0, Origin.Requests.Count);
    }

    [Fact]
    public async Task SyncUpcoming_Offline_IsSkippedNamingTheMissingConnection()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress, o => o.Strategy = SyncStrategy.WiFiAndCellular,
            network: new FakeConnectivityProbe(FakeConnectivityProbe.Offline));

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Skipped, report.Outcome);
        Assert.Contains("no internet", report.Reason, StringComparison.Ordinal);
        Assert.Equal(0, Origin.Requests.Count);
    }

    [Fact]
    public async Task Manual_ScheduledSyncDoesNothingButTheUsersSyncDownloads()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress, o => o.Strategy = SyncStrategy.Manual);

        var scheduled = await host.Scheduler.RunScheduledAsync();
        var requestsAfterScheduled = Origin.Requests.Count;
        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Null(scheduled);
        Assert.Equal(0, requestsAfterScheduled);
        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.Equal(6, report.Downloaded);
    }

    [Fact]
    public async Task SyncUpcoming_CellularOverTheWarningThresholdDeclined_AsksOnceThenSkipsEveryItemWithoutDownloading()
    {
        var consent = new SyncRecordingConsent(answer: false);
        await using var host = CellularHost(consent);
        var expectedBytes = SyncOrigin.PhoneKeys("squat", "lunge").Sum(k => Origin.Catalog.VariantOf(k).SizeBytes);

        var report = await host.Scheduler.SyncUpcomingAsync();

        var asked = Assert.Single(consent.Requests);
        Assert.Equal(6, asked.Files);
        Assert.Equal(expectedBytes, asked.EstimatedBytes); // The rich form gives exact sizes.
        Assert.Equal(SyncOutcome.Skipped, report.Outcome);
        Assert.Contains("cellular", report.Reason, StringComparison.Ordinal);
        Assert.Equal(6, report.Items.Count);
        Assert.All(report.Items, i =>
        {
            Assert.Equal(SyncItemOutcome.Skipped, i.Outcome);
            Assert.Contains("cellular", i.Reason, StringComparison.Ordinal);
            Assert.Null(i.LocalPath);
        });
        Assert.Empty(Origin.Requests.MediaRequests());
        Assert.Empty(CacheFolder.MediaFiles(Root));
        var state = Assert.Single(report.Workouts);
        Assert.Equal(WorkoutAvailability.None, state.Availability);
        Assert.Equal(expectedBytes, state.BytesMissing);
    }

    [Fact]
    public async Task SyncUpcoming_CellularOverTheWarningThresholdAccepted_Downloads()
    {
        var consent = new SyncRecordingConsent(answer: true);
        await using var host = CellularHost(consent);

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Single(consent.Requests);
        Assert.Equal(SyncOutcome.Complete, report.Outcome);
        Assert.Equal(6, report.Downloaded);
        Assert.Equal(6, Origin.Requests.MediaRequests().Count);
    }

    [Fact]
    public async Task SyncUpcoming_CellularUnderTheWarningThreshold_DownloadsWithoutAsking()
    {
        var consent = new SyncRecordingConsent(answer: false);
        await using var host = CellularHost(consent, threshold: 10L * 1024 * 1024);

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Empty(consent.Requests);
        Assert.Equal(SyncOutcome.Complete, report.Outcome);
    }

    [Fact]
    public async Task SyncUpcoming_CellularWithWarningsOff_DownloadsWithoutAsking()
    {
        var consent = new SyncRecordingConsent(answer: false);
        await using var host = CellularHost(consent, warnings: false);

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Empty(consent.Requests);
        Assert.Equal(SyncOutcome.Complete, report.Outcome);
    }

    [Fact]
    public async Task SyncUpcoming_CellularWithoutAConsentPrompt_DeclinesByDefault()
    {
        await using var host = new SyncHost(Root, Origin.BaseAddress, o =>
            {
                o.Strategy = SyncStrategy.WiFiAndCellular;
                o.CellularWarningThresholdBytes = 1_000;
            },
            network: new FakeConnectivityProbe(FakeConnectivityProbe.Cellular));

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Equal(SyncOutcome.Skipped, report.Outcome);
        Assert.Empty(Origin.Requests.MediaRequests());
    }

    [Fact]
    public async Task SyncUpcoming_WiFiAndCellularOnWiFi_NeverAsks()
    {
        var consent = new SyncRecordingConsent(answer: false);
        await using var host = new SyncHost(Root, Origin.BaseAddress, o =>
            {
                o.Strategy = SyncStrategy.WiFiAndCellular;
                o.CellularWarningThresholdBytes = 1_000;
            },
            consent: consent);

        var report = await host.Scheduler.SyncUpcomingAsync();

        Assert.Empty(consent.Requests);
        Assert.Equal(SyncOutcome.Complete, report.Outcome);
    }

    private SyncHost CellularHost(SyncRecordingConsent consent, long threshold = 1_000, bool warnings = true) =>
        new(Root, Origin.BaseAddress, o =>
            {
                o.Strategy = SyncStrategy.WiFiAndCellular;
                o.ShowDataUsageWarnings = warnings;
                o.CellularWarningThresholdBytes = threshold;
            },
            network: new FakeConnectivityProbe(FakeConnectivityProbe.Cellular),
            consent: consent);
}
