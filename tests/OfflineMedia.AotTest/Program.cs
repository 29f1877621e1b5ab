using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OfflineMedia;
using OfflineMedia.Resolution;
using OfflineMedia.Storage;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

// A NativeAOT app that wires OfflineMedia from configuration, syncs a week of workouts from the fake origin on
// 127.0.0.1, resolves every synced file with the device offline, then reads the storage status and clears the cache.
// Exits 0 only when all of that holds; otherwise prints what failed and exits 1.
var clock = Stopwatch.StartNew();
var cacheDirectory = Path.Combine(Path.GetTempPath(), "offlinemedia-aot-" + Guid.NewGuid().ToString("N")[..12]);
try
{
    await using var origin = await FakeMediaOrigin.StartAsync(FakeMediaCatalog.CreateWeek(DateTimeOffset.UtcNow));

    // Bound by the configuration binding generator: reflection-based binding would not survive trimming.
    var configuration = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OfflineMedia:ApiBaseAddress"] = origin.BaseAddress.ToString(),
            ["OfflineMedia:CacheDirectory"] = cacheDirectory,
            ["OfflineMedia:Strategy"] = nameof(SyncStrategy.WiFiOnly),
            ["OfflineMedia:MaxParallelDownloads"] = "3",
            ["OfflineMedia:PreferredVideoQuality"] = nameof(VideoQuality.Auto),
            ["OfflineMedia:UpcomingWindow"] = "7.00:00:00",
        })
        .Build();

    var network = new FakeConnectivityProbe(FakeConnectivityProbe.WiFi);
    var services = new ServiceCollection();
    services.AddLogging();
    services.AddOfflineMedia(configuration.GetSection(OfflineMediaOptions.SectionName))
        .UseDisplayProbe(new FakeDisplayProbe(FakeDisplayProbe.Phone))
        .UseStorageProbe(FakeStorageProbe.WithGigabytes(64))
        .UseConnectivityProbe(network);
    await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

    var options = provider.GetRequiredService<IOptions<OfflineMediaOptions>>().Value;
    Check(options.ApiBaseAddress == origin.BaseAddress && options.CacheDirectory == cacheDirectory
        && options.MaxParallelDownloads == 3 && options.UpcomingWindow == TimeSpan.FromDays(7),
        "the options were not bound from configuration");

    // Sync the upcoming week on Wi-Fi.
    var report = await provider.GetRequiredService<ISyncScheduler>().SyncUpcomingAsync();
    Check(report.Outcome == SyncOutcome.Complete && report.Downloaded > 0,
        $"the sync ended {report.Outcome} ({report.Reason}): {report.Downloaded} downloaded, {report.Failed} failed, {report.Skipped} skipped");

    // Offline, every synced file resolves to the local copy.
    network.Set(FakeConnectivityProbe.Offline);
    var resolver = provider.GetRequiredService<IMediaSourceResolver>();
    var keys = report.Items.Select(static i => i.Key).Distinct().ToList();
    foreach (var key in keys)
    {
        var resolved = key.Variant == MediaVariantNames.Poster
            ? await resolver.ResolvePosterAsync(key.ExerciseId)
            : await resolver.ResolveAsync(key.ExerciseId, key.Kind);
        Check(resolved.Source == MediaSourceKind.Local && resolved.Variant == key.Variant && File.Exists(resolved.LocalPath),
            $"{key.ExerciseId} {key.Kind} {key.Variant} resolved {resolved.Source} ({resolved.Variant}, {resolved.Reason}), not to its local file");
    }

    // The storage manager: usage, then clear.
    var manager = provider.GetRequiredService<IOfflineMediaManager>();
    var before = await manager.GetStorageStatusAsync();
    Check(before.CachedFiles == keys.Count && before.CacheBytes > 0, $"the status lists {before.CachedFiles} files, not {keys.Count}");
    var cleared = await manager.ClearCacheAsync();
    var after = await manager.GetStorageStatusAsync();
    Check(cleared == keys.Count && after.CachedFiles == 0 && after.CacheBytes == 0, $"the clear removed {cleared} of {keys.Count} files; {after.CachedFiles} left");
    var gone = await resolver.ResolveAsync(keys[0].ExerciseId, keys[0].Kind);
    Check(gone.Source == MediaSourceKind.Unavailable, $"after the clear, {keys[0].ExerciseId} still resolved {gone.Source}");

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"OK: synced {report.Downloaded} files ({report.BytesDownloaded / 1024.0 / 1024.0:0.0} MiB) of {report.Workouts.Count} workouts, "
        + $"resolved {keys.Count} offline, cleared {cleared}; {clock.ElapsedMilliseconds} ms."));
    return 0;
}
catch (AotCheckException ex)
{
    Console.Error.WriteLine($"FAILED: {ex.Message}.");
    return 1;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"FAILED with an exception: {ex}");
    return 1;
}
finally
{
    try
    {
        Directory.Delete(cacheDirectory, recursive: true);
    }
    catch (DirectoryNotFoundException)
    {
        // Nothing was written.
    }
}

static void Check(bool condition, string failure)
{
    if (!condition)
    {
        throw new AotCheckException(failure);
    }
}

/// <summary>A check of the AOT app that did not hold.</summary>
internal sealed class AotCheckException(string message) : Exception(message);
