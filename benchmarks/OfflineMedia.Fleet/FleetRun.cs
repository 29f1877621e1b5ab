using System.Diagnostics;
using System.Security.Cryptography;
using OfflineMedia.Cache;
using OfflineMedia.Fleet.Devices;
using OfflineMedia.Fleet.Origins;
using OfflineMedia.Fleet.Traffic;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.Fleet;

/// <summary>
/// The simulation: the first sync of every device (a bounded number at once), then the hosts start the SDK's background
/// loop, then two days pass a minute at a time (the second with part of the media changed at the origin) while each
/// device's own loop decides when to sync.
/// </summary>
internal sealed class FleetRun(FleetArguments arguments, IFleetOrigin origin, FleetClock clock, string root)
{
    private static readonly TimeSpan s_step = TimeSpan.FromMinutes(1);

    private readonly TrafficMeter _meter = new();
    private readonly SyncRecorder _recorder = new();
    private readonly List<Device> _devices = [];

    /// <summary>Gets the phases measured, in order.</summary>
    public List<PhaseResult> Phases { get; } = [];

    /// <summary>Gets the files a phone syncs (from the first device's first sync).</summary>
    public IReadOnlyList<MediaKey> PhoneFiles { get; private set; } = [];

    /// <summary>Gets the variants changed at the origin before the third day.</summary>
    public IReadOnlyList<FakeMediaVariant> Changed { get; private set; } = [];

    /// <summary>Gets the devices that, after the third day, hold a copy of a changed file that is not what the origin serves (or none).</summary>
    public int DevicesWithStaleCopies { get; private set; }

    public async Task RunAsync()
    {
        for (var i = 0; i < arguments.Devices; i++)
        {
            _devices.Add(Device.Create(i, origin.BaseAddress, Path.Combine(root, "devices", $"d{i:D5}"), clock, _meter, _recorder));
        }

        Phases.Add(await MeasureAsync("Day 1: first sync (\"Sync now\")", FirstSyncAsync));
        Phases.Add(await MeasureAsync("Day 1: hosts start the background loop (first check)", StartLoopsAsync));
        Phases.Add(await MeasureAsync("Day 2: nothing changed (scheduled)", () => PassDayAsync()));

        Changed = PickChanged();
        await origin.ChangeContentAsync(Changed);
        Phases.Add(await MeasureAsync($"Day 3: {Changed.Count} of {PhoneFiles.Count} files changed (scheduled)", () => PassDayAsync()));
        DevicesWithStaleCopies = await CountStaleDevicesAsync();
    }

    public async ValueTask DisposeDevicesAsync()
    {
        await Parallel.ForEachAsync(_devices, new ParallelOptions { MaxDegreeOfParallelism = 8 }, (device, _) => device.DisposeAsync());
        _devices.Clear();
    }

    private async Task FirstSyncAsync()
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = arguments.Concurrency };
        await Parallel.ForEachAsync(_devices, options, async (device, cancellationToken) =>
        {
            try
            {
                await device.Scheduler.SyncUpcomingAsync(cancellationToken: cancellationToken);
            }
#pragma warning disable CA1031 // One device's failure is a figure of the run (its record keeps it), not the end of it.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        });
    }

    private async Task StartLoopsAsync()
    {
        foreach (var device in _devices)
        {
            await device.StartBackgroundSyncAsync();
        }

        await _recorder.SettleAsync();
    }

    /// <summary>Moves the fleet's clocks a minute at a time until every device's loop has run a sync, or a day and 6 hours passed.</summary>
    private async Task PassDayAsync()
    {
        var runs = _recorder.ScheduledRuns + _devices.Count;
        var limit = clock.Now + TimeSpan.FromHours(30);
        while (_recorder.ScheduledRuns < runs && clock.Now < limit)
        {
            await clock.AdvanceAsync(s_step);
            await _recorder.SettleAsync();
        }
    }

    private async Task<PhaseResult> MeasureAsync(string name, Func<Task> phase)
    {
        Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} {name}...");
        var watch = Stopwatch.StartNew();
        await phase();
        await _recorder.SettleAsync();
        var elapsed = watch.Elapsed;
        var hits = await origin.TakeRequestsAsync();
        var (requests, peak) = _meter.Take();
        var syncs = _recorder.Take();
        if (name.StartsWith("Day 1: first", StringComparison.Ordinal))
        {
            PhoneFiles = [.. syncs.First(s => s.Device == 0).Report!.Items.Select(i => i.Key)];
        }

        var result = PhaseResult.From(name, hits, requests, peak, syncs, elapsed);
        Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss}   {elapsed.TotalSeconds:F0} s, {hits.Count} origin requests, {result.DevicesSynced} devices synced, {_meter.InFlight} still in flight, {OpenFiles()} files open");
        return result;
    }

    /// <summary>Picks <c>--changed</c> of the files a phone syncs (rounded up, at least one), the same ones every run.</summary>
    private List<FakeMediaVariant> PickChanged()
    {
        var count = Math.Max(1, (int)Math.Ceiling(arguments.Changed * PhoneFiles.Count));
        var random = new Random(14);
        return [.. PhoneFiles
            .OrderBy(k => k.ExerciseId, StringComparer.Ordinal).ThenBy(k => k.Kind).ThenBy(k => k.Variant, StringComparer.Ordinal)
            .Select(k => (Key: k, Order: random.Next()))
            .OrderBy(k => k.Order)
            .Take(count)
            .Select(k => VariantOf(k.Key))];
    }

    private FakeMediaVariant VariantOf(MediaKey key) => origin.Catalog.GetVariant(
        key.ExerciseId, key.Kind == MediaKind.Video || key.Variant == "poster" ? FakeMediaKind.Video : FakeMediaKind.Image, key.Variant);

    private async Task<int> CountStaleDevicesAsync()
    {
        var stale = 0;
        foreach (var device in _devices)
        {
            foreach (var variant in Changed)
            {
                var key = PhoneFiles.First(k => VariantOf(k) == variant);
                var cached = await device.Cache.TryGetAsync(key);
                if (cached is null || Sha256(cached.LocalPath) != origin.Sha256Of(variant))
                {
                    stale++;
                    break;
                }
            }
        }

        return stale;
    }

    /// <summary>Gets the file descriptors the process has open (sockets, SQLite files, locks), where the OS tells.</summary>
    public static int? OpenFiles() => Directory.Exists("/proc/self/fd") ? Directory.GetFileSystemEntries("/proc/self/fd").Length : null;

    private static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }
}
