using System.Globalization;
using OfflineMedia.Sync;
using OfflineMedia.Variants;

namespace OfflineMedia.Sample;

/// <summary>The sample's command line; every flag has a default, so no arguments tell the whole story.</summary>
internal sealed record SampleArguments
{
    public const string Usage = """
        Usage: dotnet run --project samples/OfflineMedia.Sample.Console -- [options]

        Syncs a week of workouts to a local cache, then resolves every exercise's media offline.

        Options:
          --api URL                  Sync from a server that speaks the OfflineMedia contract (default: an embedded fake origin)
          --cache DIR                Cache folder: a new or empty folder, or one the sample made before
                                     (default: OfflineMedia.Sample in your local application data folder,
                                     e.g. ~/.local/share on Linux; made private to you)
          --device phone|tablet|desktop    Device to play (default: phone)
          --free-storage-gb N        Free storage the device reports (default: 32)
          --network wifi|cellular|none     Network to play (default: wifi)
          --strategy wifi-only|wifi-and-cellular|manual   Sync strategy (default: wifi-only)
          --video-quality auto|low|high    Preferred video quality (default: auto)
          --no-videos                Download no videos (posters still)
          --limit-mb N               The cache limit the last step lowers to (default: frees half of the unpinned media)
          --scale N                  Size divisor of the embedded origin's media (default: 100)
          --json                     One JSON object on stdout; logs and progress on stderr
          --help                     Show this help
        """;

    public Uri? Api { get; init; }

    public string CacheDirectory { get; init; } = DefaultCacheDirectory();

    public string Device { get; init; } = "phone";

    public double FreeStorageGb { get; init; } = 32;

    public string Network { get; init; } = "wifi";

    public SyncStrategy Strategy { get; init; } = SyncStrategy.WiFiOnly;

    public VideoQuality VideoQuality { get; init; } = VideoQuality.Auto;

    public bool DownloadVideos { get; init; } = true;

    public long? LimitMb { get; init; }

    public int Scale { get; init; } = 100;

    public bool Json { get; init; }

    public bool Help { get; init; }

    /// <summary>Parses the flags; a bad flag or value gives a one-line message.</summary>
    public static bool TryParse(string[] args, out SampleArguments parsed, out string? error)
    {
        parsed = new SampleArguments();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var flag = args[i];
            string Value()
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new FormatException($"{flag} needs a value.");
                }

                return args[++i];
            }

            try
            {
                parsed = flag switch
                {
                    "--api" => parsed with { Api = ParseApi(Value()) },
                    "--cache" => parsed with { CacheDirectory = Folder(flag, Value()) },
                    "--device" => parsed with { Device = OneOf(flag, Value(), "phone", "tablet", "desktop") },
                    "--free-storage-gb" => parsed with { FreeStorageGb = Number(flag, Value(), 0, 100_000) },
                    "--network" => parsed with { Network = OneOf(flag, Value(), "wifi", "cellular", "none") },
                    "--strategy" => parsed with
                    {
                        Strategy = OneOf(flag, Value(), "wifi-only", "wifi-and-cellular", "manual") switch
                        {
                            "wifi-only" => SyncStrategy.WiFiOnly,
                            "wifi-and-cellular" => SyncStrategy.WiFiAndCellular,
                            _ => SyncStrategy.Manual,
                        },
                    },
                    "--video-quality" => parsed with
                    {
                        VideoQuality = OneOf(flag, Value(), "auto", "low", "high") switch
                        {
                            "low" => VideoQuality.Low,
                            "high" => VideoQuality.High,
                            _ => VideoQuality.Auto,
                        },
                    },
                    "--no-videos" => parsed with { DownloadVideos = false },
                    "--limit-mb" => parsed with { LimitMb = (long)Number(flag, Value(), 1, 1_048_576) },
                    "--scale" => parsed with { Scale = (int)Number(flag, Value(), 1, 1_000_000) },
                    "--json" => parsed with { Json = true },
                    "--help" or "-h" => parsed with { Help = true },
                    _ => throw new FormatException($"Unknown flag '{flag}'. Run with --help for the flags."),
                };
            }
            catch (FormatException ex)
            {
                error = ex.Message;
                return false;
            }
        }

        return true;
    }

    private static string Folder(string flag, string value)
    {
        try
        {
            return Path.GetFullPath(value);
        }
        catch (ArgumentException)
        {
            throw new FormatException($"{flag} needs a folder path; '{value}' is not one.");
        }
    }

    /// <summary>
    /// A folder of the user's own, as an app's cache folder is: never a fixed name in the shared temp folder, which
    /// another local user could create first. The cache makes it private when it creates it.
    /// </summary>
    private static string DefaultCacheDirectory()
    {
        foreach (var folder in (Environment.SpecialFolder[])[Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolder.UserProfile])
        {
            var path = Environment.GetFolderPath(folder, Environment.SpecialFolderOption.DoNotVerify);
            if (Path.IsPathFullyQualified(path))
            {
                return Path.Combine(path, folder == Environment.SpecialFolder.UserProfile ? ".offline-media-sample" : "OfflineMedia.Sample");
            }
        }

        // No home folder at all (a bare service account): the working folder, which is the caller's choice.
        return Path.Combine(Environment.CurrentDirectory, "offline-media-sample");
    }

    private static Uri ParseApi(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new FormatException($"--api needs an absolute http or https URL; '{value}' is not one.");

    private static string OneOf(string flag, string value, params string[] allowed) =>
        Array.IndexOf(allowed, value) >= 0 ? value : throw new FormatException($"{flag} must be one of {string.Join(", ", allowed)}; '{value}' is not.");

    private static double Number(string flag, string value, double min, double max) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new FormatException($"{flag} must be a number from {min} to {max}; '{value}' is not.");
}
