namespace OfflineMedia.Cache.Internal;

/// <summary>
/// Whether a 206 can continue a partial file: its range starts where the file ends, and it describes the same
/// content the first answer did (total length and validators). Anything else restarts the download from byte 0.
/// </summary>
internal static class ResumeCheck
{
    /// <returns>Why the answer cannot continue the partial file, or null when it can.</returns>
    public static string? Mismatch(PartialDownload partial, long resumeFrom, HttpResponseMessage response)
    {
        var range = response.Content.Headers.ContentRange;
        if (range is not { From: { } from, Length: { } length })
        {
            return "the answer has no Content-Range with a start and a total length";
        }

        if (from != resumeFrom)
        {
            return $"the range starts at byte {from}, not at {resumeFrom} as asked";
        }

        if (partial.TotalBytes is { } recorded && length != recorded)
        {
            return $"the range gives a total of {length} bytes where the first answer declared {recorded}";
        }

        if (partial.ETag is { } etag && response.Headers.ETag?.ToString() is { } now && now != etag)
        {
            return "its ETag differs from the first answer's";
        }

        if (partial.ETag is null && partial.LastModified is { } modified && response.Content.Headers.LastModified is { } nowModified
            && nowModified.ToString("R") != modified)
        {
            return "its Last-Modified differs from the first answer's";
        }

        return null;
    }
}
