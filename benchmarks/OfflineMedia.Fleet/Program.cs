using System.Diagnostics;
using OfflineMedia.Fleet;
using OfflineMedia.Fleet.Origins;

// A fleet of phones in one process, syncing against one origin over three days; see readme.md.
var arguments = FleetArguments.Parse(args, out var exitCode);
if (arguments is null)
{
    return exitCode;
}

var loadAtStart = FleetReport.LoadAverage();
var watch = Stopwatch.StartNew();
var root = Directory.CreateTempSubdirectory("offline-media-fleet-").FullName;
var start = new DateTimeOffset(2026, 3, 2, 6, 0, 0, TimeSpan.Zero); // A Monday morning.
try
{
    await using var clock = new FleetClock(start);
    var catalog = FleetCatalog.Create(start);
    await using IFleetOrigin origin = arguments.Origin == "nginx"
        ? await NginxFleetOrigin.StartAsync(Path.Combine(root, "origin"), catalog, start)
        : await FakeFleetOrigin.StartAsync(catalog, clock.CreateClock());
    var run = new FleetRun(arguments, origin, clock, root);
    try
    {
        await run.RunAsync();
    }
    finally
    {
        Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} Closing the devices...");
        await run.DisposeDevicesAsync();
    }

    Console.WriteLine(FleetReport.Write(arguments, origin.Description, run, watch.Elapsed, loadAtStart));
    return 0;
}
finally
{
    Directory.Delete(root, recursive: true);
}
