using Microsoft.Extensions.Options;

namespace OfflineMedia.Sync.Internal;

/// <summary>Checks <see cref="DownloadRetryOptions"/>, naming the option and its allowed range.</summary>
internal sealed class DownloadRetryOptionsValidator : IValidateOptions<DownloadRetryOptions>
{
    public ValidateOptionsResult Validate(string? name, DownloadRetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
