using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace OfflineMedia.Fleet;

/// <summary>Writes the run as markdown: the command, the machine, one row per phase, the scheduled window and the targets.</summary>
internal static class FleetReport
{
    /// <summary>The share of a full re-download that a day with nothing changed may cost.</summary>
    public const double NothingChangedTarget = 0.01;

    public static string Write(FleetArguments arguments, string origin, FleetRun run, TimeSpan runTime, string loadAtStart)
    {
        var text = new StringBuilder();
        var first = run.Phases[0];
        text.AppendLine(Invariant($"Command: `dotnet run -c Release --project benchmarks/OfflineMedia.Fleet -- --devices {arguments.Devices} --origin {arguments.Origin} --changed {arguments.Changed} --concurrency {arguments.Concurrency}`"));
        text.AppendLine();
        text.AppendLine(Invariant($"Machine: {Machine()}; load average {loadAtStart} at the start, {LoadAverage()} at the end."));
        text.AppendLine(Invariant($"Origin: {origin}. Each device: a phone (AddOfflineMedia, every option at its default, the background loop on), 16 GB free, Wi-Fi; it syncs {run.PhoneFiles.Count} files ({Kib(first.MediaBytes / Math.Max(1, first.DevicesSynced))}) of 5 workouts."));
        text.AppendLine(Invariant($"Run time: {runTime.TotalMinutes:F1} min; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB."));
        text.AppendLine();
        text.AppendLine("| Phase | Devices synced | API requests | API bytes | Media requests | Media bodies | Media 304 | Media bytes | Of a full re-download | Peak in flight | Sync p50 | Sync p99 | Files downloaded / cached / failed | Real time |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in run.Phases)
        {
            text.AppendLine(Invariant($"| {p.Name} | {p.DevicesSynced:N0} | {p.ApiRequests:N0} | {Kib(p.ApiBytes)} | {p.MediaRequests:N0} | {p.MediaBodies:N0} | {p.MediaNotModified:N0} | {Kib(p.MediaBytes)} | {Share(p.TotalBytes, first.TotalBytes)} | {p.PeakInFlight:N0} | {Ms(p.SyncP50)} | {Ms(p.SyncP99)} | {p.Files.Downloaded:N0} / {p.Files.Cached:N0} / {p.Files.Failed:N0} | {p.RealTime.TotalSeconds:F0} s |"));
        }

        text.AppendLine();
        text.AppendLine("Scheduled syncs (the SDK's own background loop on each device's clock, the fleet's clocks moved a minute at a time):");
        text.AppendLine();
        text.AppendLine("| Phase | Window of the syncs (device time) | Devices starting a sync, peak per minute | Sync requests per minute, peak / mean | All requests per minute, peak | Checks that found nothing due | Their requests, bytes |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var p in run.Phases.Skip(1))
        {
            var window = p.Window is { } w ? Invariant($"{w.First:ddd HH:mm}–{w.Last:HH:mm} ({(w.Last - w.First).TotalMinutes + 1:F0} min)") : "none";
            text.AppendLine(Invariant($"| {p.Name} | {window} | {p.PeakSyncStartsPerMinute:N0} | {p.PeakSyncRequestsPerMinute:N0} / {p.MeanSyncRequestsPerMinute:N0} | {p.PeakRequestsPerMinuteAll:N0} | {p.IdleChecks.Calls:N0} | {p.IdleChecks.Requests:N0}, {Kib(p.IdleChecks.Bytes)} |"));
        }

        text.AppendLine();
        AppendTargets(text, run, arguments.Devices);
        AppendCaveats(text, run);
        return text.ToString();
    }

    private static void AppendTargets(StringBuilder text, FleetRun run, int devices)
    {
        var first = run.Phases[0];
        var day2 = run.Phases[2];
        var day3 = run.Phases[3];
        var share = (double)day2.TotalBytes / Math.Max(1, first.TotalBytes);
        var expected = run.Changed.Count * day3.DevicesSynced;
        text.AppendLine("Targets:");
        text.AppendLine();
        text.AppendLine(Invariant($"- Day 2, nothing changed, costs at most {NothingChangedTarget:P0} of a full re-download (day 1's bytes): {share:P2} ({Kib(day2.TotalBytes)} of {Kib(first.TotalBytes)}) — {(share <= NothingChangedTarget ? "met" : "missed")}."));
        text.AppendLine(Invariant($"- Day 3 downloads only the changed media: {day3.MediaBodies:N0} media bodies for {run.Changed.Count} changed files × {day3.DevicesSynced:N0} devices = {expected:N0}; {run.DevicesWithStaleCopies:N0} devices hold a stale copy of a changed file afterwards — {(day3.MediaBodies == expected && run.DevicesWithStaleCopies == 0 ? "met" : "missed")}."));
        text.AppendLine(Invariant($"- Every device synced each day: {first.DevicesSynced:N0}, {day2.DevicesSynced:N0} and {day3.DevicesSynced:N0} of {devices:N0}."));
        text.AppendLine();
    }

    private static void AppendCaveats(StringBuilder text, FleetRun run)
    {
        foreach (var p in run.Phases.Where(p => p.Incomplete.Count > 0))
        {
            text.AppendLine(Invariant($"- {p.Name}: {p.Incomplete.Count:N0} syncs were not complete; the first reason: {p.Incomplete.FirstReason}"));
        }

        foreach (var p in run.Phases.Where(p => p.ClientRequests != p.ApiRequests + p.MediaRequests))
        {
            text.AppendLine(Invariant($"- {p.Name}: the devices sent {p.ClientRequests:N0} requests, the origin logged {p.ApiRequests + p.MediaRequests:N0}."));
        }
    }

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return Invariant($"{Environment.ProcessorCount} cores ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), {memory:F1} GiB, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Kib(long bytes) => bytes >= 10L * 1024 * 1024
        ? Invariant($"{bytes / (1024.0 * 1024):N1} MiB")
        : Invariant($"{bytes / 1024.0:N1} KiB");

    private static string Share(long bytes, long whole) => Invariant($"{(double)bytes / Math.Max(1, whole):P2}");

    private static string Ms(TimeSpan? time) => time is { } t ? Invariant($"{t.TotalMilliseconds:N0} ms") : "–";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
