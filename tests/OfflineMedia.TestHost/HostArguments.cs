using System.Globalization;
using OfflineMedia.Cache;
using OfflineMedia.Variants;

namespace OfflineMedia.TestHost;

/// <summary>
/// The command line: <c>read|evict|download --cache DIR --api URL [--seed N] [--min-seconds S] [--min-hits N] [--max-seconds S]
/// [--open-delay-ms N] ITEM...</c>, each item <c>exerciseId/image|video/variant|url|bytes</c>.
/// </summary>
internal sealed record HostArguments(
    string Verb,
    string CacheDirectory,
    Uri Api,
    int Seed,
    TimeSpan MinDuration,
    TimeSpan MaxDuration,
    long MinHits,
    int OpenDelayMs,
    IReadOnlyList<HostItem> Items)
{
    public static HostArguments? Parse(string[] args, TextWriter error)
    {
        if (args is not ["read" or "evict" or "download", ..])
        {
            error.WriteLine("usage: read|evict|download --cache DIR --api URL [--seed N] [--min-seconds S] [--min-hits N] [--max-seconds S] [--open-delay-ms N] ITEM...");
            return null;
        }

        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        var items = new List<HostItem>();
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                flags[args[i]] = args[++i];
            }
            else if (HostItem.Parse(args[i]) is { } item)
            {
                items.Add(item);
            }
            else
            {
                error.WriteLine($"'{args[i]}' is neither a flag with a value nor an item exerciseId/kind/variant|url|bytes.");
                return null;
            }
        }

        if (!flags.TryGetValue("--cache", out var cache) || !flags.TryGetValue("--api", out var api) || items.Count == 0)
        {
            error.WriteLine("--cache, --api and at least one item are needed.");
            return null;
        }

        int Number(string flag, int fallback) => flags.TryGetValue(flag, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
        return new HostArguments(
            args[0], cache, new Uri(api), Number("--seed", 1), TimeSpan.FromSeconds(Number("--min-seconds", 5)),
            TimeSpan.FromSeconds(Number("--max-seconds", 40)), Number("--min-hits", 0), Number("--open-delay-ms", 0), items);
    }
}

/// <summary>One file of the cache: its key, and where to download it from.</summary>
internal sealed record HostItem(MediaKey Key, MediaSource Source)
{
    public static HostItem? Parse(string text)
    {
        var parts = text.Split('|');
        var key = parts[0].Split('/');
        if (parts.Length != 3 || key.Length != 3 || key[1] is not ("image" or "video")
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
        {
            return null;
        }

        return new HostItem(new MediaKey(key[0], key[1] == "image" ? MediaKind.Image : MediaKind.Video, key[2]), new MediaSource(parts[1], bytes));
    }
}
