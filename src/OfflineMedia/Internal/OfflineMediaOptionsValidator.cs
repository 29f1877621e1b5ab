using Microsoft.Extensions.Options;
using OfflineMedia.Sync;
using OfflineMedia.Variants;

namespace OfflineMedia.Internal;

/// <summary>
/// Validates <see cref="OfflineMediaOptions"/> when the host starts, and the settings a user changes: the ranges declared
/// on the options (checked by the generated <see cref="OfflineMediaOptionsRangeValidator"/>), then the rules a range
/// cannot express. Every message names the option, what is allowed and the value given.
/// </summary>
internal sealed class OfflineMediaOptionsValidator : IValidateOptions<OfflineMediaOptions>
{
    internal const long MinCacheSizeLimitBytes = 1024 * 1024;
    internal const long MaxCacheSizeLimitBytes = 1024L * 1024 * 1024 * 1024;
    internal const long MaxMinimumDownloadBytesPerSecond = 100L * 1024 * 1024;

    private readonly OfflineMediaOptionsRangeValidator _ranges = new();

    public ValidateOptionsResult Validate(string? name, OfflineMediaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new ValidateOptionsResultBuilder();
        failures.AddResult(_ranges.Validate(name, options));

        if (options.ApiBaseAddress is { } api && !(api.IsAbsoluteUri && (api.Scheme == Uri.UriSchemeHttp || api.Scheme == Uri.UriSchemeHttps)))
        {
            failures.AddError($"ApiBaseAddress must be an absolute http or https URL; it was '{SafeUrl.Redact(api)}'.");
        }

        if (string.IsNullOrWhiteSpace(options.CacheDirectory))
        {
            failures.AddError("CacheDirectory is required: set an absolute folder for the media cache.");
        }
        else if (!Path.IsPathFullyQualified(options.CacheDirectory))
        {
            failures.AddError($"CacheDirectory must be an absolute path; it was '{options.CacheDirectory}'.");
        }

        if (!Enum.IsDefined(options.Strategy))
        {
            failures.AddError($"Strategy must be WiFiOnly, WiFiAndCellular or Manual; it was {(int)options.Strategy}.");
        }

        if (!Enum.IsDefined(options.PreferredVideoQuality))
        {
            failures.AddError($"PreferredVideoQuality must be Auto, Low or High; it was {(int)options.PreferredVideoQuality}.");
        }

        CheckRoute(failures, nameof(options.ExerciseMediaRoute), options.ExerciseMediaRoute, "{exerciseId}");
        CheckRoute(failures, nameof(options.WorkoutRoute), options.WorkoutRoute, "{workoutId}");
        CheckRoute(failures, nameof(options.UpcomingWorkoutsRoute), options.UpcomingWorkoutsRoute, "{days}");

        if (options.TabletMinScreenInches >= options.DesktopMinScreenInches)
        {
            failures.AddError($"TabletMinScreenInches ({options.TabletMinScreenInches}) must be less than DesktopMinScreenInches ({options.DesktopMinScreenInches}).");
        }

        return failures.Build();
    }

    private static void CheckRoute(ValidateOptionsResultBuilder failures, string name, string? route, string placeholder)
    {
        if (string.IsNullOrWhiteSpace(route) || !route.Contains(placeholder, StringComparison.Ordinal)
            || Uri.TryCreate(route, UriKind.Absolute, out var absolute) && absolute.Scheme != Uri.UriSchemeFile)
        {
            failures.AddError($"{name} must be a route relative to ApiBaseAddress containing {placeholder}; it was '{route}'.");
        }
    }
}
