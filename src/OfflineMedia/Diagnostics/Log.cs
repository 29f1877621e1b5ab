using Microsoft.Extensions.Logging;

namespace OfflineMedia.Diagnostics;

/// <summary>Every log message of the SDK, with stable event ids. Never a signed URL's query or a token.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Could not read the free storage at '{Path}'; it counts as none until it can be read.")]
    public static partial void StorageProbeFailed(ILogger logger, string path, Exception exception);
}
