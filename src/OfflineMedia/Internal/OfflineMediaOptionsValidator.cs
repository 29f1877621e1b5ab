using Microsoft.Extensions.Options;
using OfflineMedia.Sync;
using OfflineMedia.Variants;

namespace OfflineMedia.Internal;

/// <summary>
/// Validates <see cref="OfflineMediaOptions"/> when the host starts. Hand-written rather than
/// DataAnnotations: every message names the option and its allowed range, TimeSpan ranges need no
/// reflection, and the checks stay trim- and AOT-safe.
/// </summary>
internal sealed class OfflineMediaOptionsValidator : IValidateOptions<OfflineMediaOptions>
{
    internal const long MinCacheSizeLimitBytes = 1024 * 1024;
    internal const long MaxCacheSizeLimitBytes = 1024L * 1024 * 1024 * 1024;
    internal const long MaxMinimumDownloadBytesPerSecond = 100L * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, OfflineMediaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (options.ApiBaseAddress is { } api && !(api.IsAbsoluteUri && (api.Scheme == Uri.UriSchemeHttp || api.Scheme == Uri.UriSchemeHttps)))
        {
            failures.Add($"ApiBaseAddress must be an absolute http or https URL; it was '{SafeUrl.Redact(api)}'.");
        }

        if (string.IsNullOrWhiteSpace(options.CacheDirectory))
        {
            failures.Add("CacheDirectory is required: set an absolute folder for the media cache.");
        }
        else if (!Path.IsPathFullyQualified(options.CacheDirectory))
        {
            failures.Add($"CacheDirectory must be an absolute path; it was '{options.CacheDirectory}'.");
        }

        if (!Enum.IsDefined(options.Strategy))
        {
            failures.Add($"Strategy must be WiFiOnly, WiFiAndCellular or Manual; it was {(int)options.Strategy}.");
        }

        if (options.CacheSizeLimitBytes is < MinCacheSizeLimitBytes or > MaxCacheSizeLimitBytes)
        {
            failures.Add($"CacheSizeLimitBytes must be between {MinCacheSizeLimitBytes} (1 MiB) and {MaxCacheSizeLimitBytes} (1 TiB) bytes; it was {options.CacheSizeLimitBytes}.");
        }

        if (options.DaysToKeepMedia is < 1 or > 3650)
        {
            failures.Add($"DaysToKeepMedia must be between 1 and 3650 days; it was {options.DaysToKeepMedia}.");
        }

        if (!Enum.IsDefined(options.PreferredVideoQuality))
        {
            failures.Add($"PreferredVideoQuality must be Auto, Low or High; it was {(int)options.PreferredVideoQuality}.");
        }

        if (options.UpcomingWindow < TimeSpan.FromHours(1) || options.UpcomingWindow > TimeSpan.FromDays(90))
        {
            failures.Add($"UpcomingWindow must be between 01:00:00 (1 hour) and 90.00:00:00 (90 days); it was {options.UpcomingWindow}.");
        }

        if (options.ResyncInterval < TimeSpan.FromMinutes(1) || options.ResyncInterval > TimeSpan.FromDays(30))
        {
            failures.Add($"ResyncInterval must be between 00:01:00 (1 minute) and 30.00:00:00 (30 days); it was {options.ResyncInterval}.");
        }

        if (options.MaxParallelDownloads is < 1 or > 16)
        {
            failures.Add($"MaxParallelDownloads must be between 1 and 16; it was {options.MaxParallelDownloads}.");
        }

        if (options.DownloadStallTimeout < TimeSpan.FromSeconds(1) || options.DownloadStallTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"DownloadStallTimeout must be between 00:00:01 (1 second) and 00:10:00 (10 minutes); it was {options.DownloadStallTimeout}.");
        }

        if (options.MinimumDownloadBytesPerSecond is < 0 or > MaxMinimumDownloadBytesPerSecond)
        {
            failures.Add($"MinimumDownloadBytesPerSecond must be between 0 (off) and {MaxMinimumDownloadBytesPerSecond} (100 MiB/s); it was {options.MinimumDownloadBytesPerSecond}.");
        }

        if (options.MaxRetryAfter < TimeSpan.Zero || options.MaxRetryAfter > TimeSpan.FromHours(1))
        {
            failures.Add($"MaxRetryAfter must be between 00:00:00 and 01:00:00 (1 hour); it was {options.MaxRetryAfter}.");
        }

        if (options.SyncTimeout is { } syncTimeout && (syncTimeout < TimeSpan.FromSeconds(1) || syncTimeout > TimeSpan.FromDays(1)))
        {
            failures.Add($"SyncTimeout must be empty (no limit) or between 00:00:01 (1 second) and 1.00:00:00 (1 day); it was {syncTimeout}.");
        }

        if (options.ApiRequestTimeout < TimeSpan.FromSeconds(1) || options.ApiRequestTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"ApiRequestTimeout must be between 00:00:01 (1 second) and 00:10:00 (10 minutes); it was {options.ApiRequestTimeout}.");
        }

        if (options.MaxDownloadAttempts is < 1 or > 10)
        {
            failures.Add($"MaxDownloadAttempts must be between 1 and 10; it was {options.MaxDownloadAttempts}.");
        }

        if (options.RetryBaseDelay < TimeSpan.FromMilliseconds(10) || options.RetryBaseDelay > TimeSpan.FromMinutes(1))
        {
            failures.Add($"RetryBaseDelay must be between 00:00:00.010 (10 ms) and 00:01:00 (1 minute); it was {options.RetryBaseDelay}.");
        }

        if (options.SyncPauseTimeout < TimeSpan.Zero || options.SyncPauseTimeout > TimeSpan.FromDays(1))
        {
            failures.Add($"SyncPauseTimeout must be between 00:00:00 and 1.00:00:00 (1 day); it was {options.SyncPauseTimeout}.");
        }

        if (options.CellularWarningThresholdBytes is < 0 or > 64L * 1024 * 1024 * 1024)
        {
            failures.Add($"CellularWarningThresholdBytes must be between 0 and 68719476736 (64 GiB) bytes; it was {options.CellularWarningThresholdBytes}.");
        }

        if (options.BackgroundSyncInterval < TimeSpan.FromMinutes(1) || options.BackgroundSyncInterval > TimeSpan.FromDays(1))
        {
            failures.Add($"BackgroundSyncInterval must be between 00:01:00 (1 minute) and 1.00:00:00 (1 day); it was {options.BackgroundSyncInterval}.");
        }

        CheckRoute(failures, nameof(options.ExerciseMediaRoute), options.ExerciseMediaRoute, "{exerciseId}");
        CheckRoute(failures, nameof(options.WorkoutRoute), options.WorkoutRoute, "{workoutId}");
        CheckRoute(failures, nameof(options.UpcomingWorkoutsRoute), options.UpcomingWorkoutsRoute, "{days}");

        if (options.MaxImageBytes is < 64 * 1024 or > 1024 * 1024 * 1024)
        {
            failures.Add($"MaxImageBytes must be between 65536 (64 KiB) and 1073741824 (1 GiB) bytes; it was {options.MaxImageBytes}.");
        }

        if (options.MaxVideoBytes is < 1024 * 1024 or > 64L * 1024 * 1024 * 1024)
        {
            failures.Add($"MaxVideoBytes must be between 1048576 (1 MiB) and 68719476736 (64 GiB) bytes; it was {options.MaxVideoBytes}.");
        }

        if (options.StorageReserveBytes is < 0 or > 64L * 1024 * 1024 * 1024)
        {
            failures.Add($"StorageReserveBytes must be between 0 and 68719476736 (64 GiB) bytes; it was {options.StorageReserveBytes}.");
        }

        if (!(options.TabletMinScreenInches is >= 1 and <= 100))
        {
            failures.Add($"TabletMinScreenInches must be between 1 and 100 inches; it was {options.TabletMinScreenInches}.");
        }

        if (!(options.DesktopMinScreenInches is >= 1 and <= 100))
        {
            failures.Add($"DesktopMinScreenInches must be between 1 and 100 inches; it was {options.DesktopMinScreenInches}.");
        }
        else if (options.TabletMinScreenInches >= options.DesktopMinScreenInches)
        {
            failures.Add($"TabletMinScreenInches ({options.TabletMinScreenInches}) must be less than DesktopMinScreenInches ({options.DesktopMinScreenInches}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckRoute(List<string> failures, string name, string? route, string placeholder)
    {
        if (string.IsNullOrWhiteSpace(route) || !route.Contains(placeholder, StringComparison.Ordinal)
            || Uri.TryCreate(route, UriKind.Absolute, out var absolute) && absolute.Scheme != Uri.UriSchemeFile)
        {
            failures.Add($"{name} must be a route relative to ApiBaseAddress containing {placeholder}; it was '{route}'.");
        }
    }
}
