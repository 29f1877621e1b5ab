using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using OfflineMedia.Sync;
using OfflineMedia.Variants;

namespace OfflineMedia.Sample;

/// <summary>The sample's command line; every flag has a default, so no arguments tell the whole story.</summary>
internal sealed record SampleArguments
{
    public Uri? Api { get; init; }

    public required string CacheDirectory { get; init; }

    public required string Device { get; init; }

    public double FreeStorageGb { get; init; }

    public required string Network { get; init; }

    public SyncStrategy Strategy { get; init; }

    public VideoQuality VideoQuality { get; init; }

    public bool DownloadVideos { get; init; }

    public long? LimitMb { get; init; }

    public int Scale { get; init; }

    public bool Json { get; init; }

    public IReadOnlyList<string> Play { get; init; } = [];

    /// <summary>
    /// Reads the command line: the arguments to run with; or null after <c>--help</c> (the help on <paramref name="stdout"/>,
    /// exit code 0) or a bad flag (one line naming it on <paramref name="stderr"/>, exit code 1).
    /// </summary>
    public static SampleArguments? Parse(string[] args, TextWriter stdout, TextWriter stderr, out int exitCode)
    {
        var flags = new Flags();
        var result = flags.Command.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.Errors.Count > 0)
        {
            stderr.WriteLine(result.UnmatchedTokens is [var unknown, ..] ? $"Unknown flag '{unknown}'. Run with --help for the flags."
                : result.Errors[0].SymbolResult is OptionResult { Tokens.Count: 0, IdentifierToken: { } flag } ? $"{flag.Value} needs a value."
                : result.Errors[0].Message);
            exitCode = 1;
            return null;
        }

        if (result.Action is HelpAction)
        {
            exitCode = result.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
            return null;
        }

        exitCode = 0;
        return flags.Read(result);
    }

    /// <summary>The flags, with their help, defaults and checks: one definition each.</summary>
    private sealed class Flags
    {
        private readonly Option<Uri?> _api = OneValue<Uri?>(
            "--api", "URL", "Sync from a server that speaks the OfflineMedia contract (default: an embedded fake origin)", value =>
                Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                    ? (uri, null)
                    : (null, $"--api needs an absolute http or https URL; '{value}' is not one."));

        private readonly Option<string> _cache = Defaulted(
            OneValue("--cache", "DIR", "Cache folder: a new or empty folder, or one the sample made before (made private to you)", Folder),
            DefaultCacheDirectory());

        private readonly Option<Named<string>> _device = Choice("--device", "Device to play", "phone", "tablet", "desktop");

        private readonly Option<double> _freeStorageGb = Defaulted(Number("--free-storage-gb", "Free storage the device reports", 0, 100_000, v => v), 32);

        private readonly Option<Named<string>> _network = Choice("--network", "Network to play", "wifi", "cellular", "none");

        private readonly Option<Named<SyncStrategy>> _strategy = Choice<SyncStrategy>(
            "--strategy", "Sync strategy", new("wifi-only", SyncStrategy.WiFiOnly), new("wifi-and-cellular", SyncStrategy.WiFiAndCellular), new("manual", SyncStrategy.Manual));

        private readonly Option<Named<VideoQuality>> _videoQuality = Choice<VideoQuality>(
            "--video-quality", "Preferred video quality", new("auto", VideoQuality.Auto), new("low", VideoQuality.Low), new("high", VideoQuality.High));

        private readonly Option<bool> _noVideos = new("--no-videos") { Description = "Download no videos (posters still)", Arity = ArgumentArity.Zero };

        private readonly Option<long?> _limitMb = Number<long?>(
            "--limit-mb", "The cache limit the last step lowers to (default: frees half of the unpinned media)", 1, 1_048_576, v => (long)v);

        private readonly Option<int> _scale = Defaulted(Number("--scale", "Size divisor of the embedded origin's media", 1, 1_000_000, v => (int)v), 100);

        private readonly Option<string[]> _play = new("--play")
        {
            HelpName = "EXERCISE",
            Description = "Before the sync, play the exercise's video through the cache to its end (online or offline as --network says); repeatable",
            CustomParser = result =>
            {
                // As for every flag: never another flag as its value ("--play --json" must not play an exercise named "--json").
                var values = result.Tokens.Select(t => t.Value).ToArray();
                if (values.FirstOrDefault(v => v.StartsWith("--", StringComparison.Ordinal) || v.Length == 0) is { } bad)
                {
                    result.AddError(bad.Length == 0 ? "--play needs an exercise id; '' is not one." : "--play needs a value.");
                }

                return values;
            },
        };

        private readonly Option<bool> _json = new("--json") { Description = "One JSON object on stdout; logs and progress on stderr", Arity = ArgumentArity.Zero };

        public Flags()
        {
            // A plain command, not a RootCommand: these flags only, with no --version or [directives] added.
            Command = new Command("OfflineMedia.Sample.Console", "Syncs a week of workouts to a local cache, then resolves every exercise's media offline. " +
                "Run it with: dotnet run --project samples/OfflineMedia.Sample.Console -- [options]")
            {
                _api, _cache, _device, _freeStorageGb, _network, _strategy, _videoQuality, _noVideos, _limitMb, _scale, _play, _json,
                new HelpOption("--help", "-h") { Description = "Show this help" },
            };
        }

        public Command Command { get; }

        public SampleArguments Read(ParseResult result) => new()
        {
            Api = result.GetValue(_api),
            CacheDirectory = result.GetRequiredValue(_cache),
            Device = result.GetRequiredValue(_device).Value,
            FreeStorageGb = result.GetValue(_freeStorageGb),
            Network = result.GetRequiredValue(_network).Value,
            Strategy = result.GetRequiredValue(_strategy).Value,
            VideoQuality = result.GetRequiredValue(_videoQuality).Value,
            DownloadVideos = !result.GetValue(_noVideos),
            LimitMb = result.GetValue(_limitMb),
            Scale = result.GetValue(_scale),
            Json = result.GetValue(_json),
            Play = result.GetValue(_play) ?? [],
        };
    }

    /// <summary>A value with the name that the command line and its help spell it with.</summary>
    private sealed record Named<T>(string Name, T Value)
    {
        public override string ToString() => Name;
    }

    /// <summary>A flag with one value: <paramref name="read"/> gives the value, or the one line that says why the text is not one.</summary>
    private static Option<T> OneValue<T>(string name, string helpName, string description, Func<string, (T Value, string? Error)> read) => new(name)
    {
        HelpName = helpName,
        Description = description,
        CustomParser = result =>
        {
            // A flag is never another flag's value: "--cache --json" must not make a folder named "--json".
            var text = result.Tokens[0].Value;
            var (value, error) = text.StartsWith("--", StringComparison.Ordinal) ? (default!, $"{name} needs a value.") : read(text);
            if (error is not null)
            {
                result.AddError(error);
            }

            return value;
        },
    };

    private static Option<T> Defaulted<T>(Option<T> option, T defaultValue)
    {
        option.DefaultValueFactory = _ => defaultValue;
        return option;
    }

    /// <summary>A flag that takes one of a few names; the first is the default.</summary>
    private static Option<Named<string>> Choice(string name, string description, params string[] choices) =>
        Choice(name, description, [.. choices.Select(c => new Named<string>(c, c))]);

    /// <summary>A flag that takes one of a few names, each standing for a value; the first is the default.</summary>
    private static Option<Named<T>> Choice<T>(string name, string description, params Named<T>[] choices) => Defaulted(
        OneValue<Named<T>>(name, string.Join('|', choices.Select(c => c.Name)), description, value =>
            choices.FirstOrDefault(c => c.Name == value) is { } choice
                ? (choice, null)
                : (choices[0], $"{name} must be one of {string.Join(", ", choices.Select(c => c.Name))}; '{value}' is not.")),
        choices[0]);

    /// <summary>A flag that takes a number in a range, read the same in every culture.</summary>
    private static Option<T> Number<T>(string name, string description, double min, double max, Func<double, T> convert) =>
        OneValue<T>(name, "N", description, value =>
            double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
                ? (convert(number), null)
                : (default!, $"{name} must be a number from {min} to {max}; '{value}' is not."));

    private static (string Value, string? Error) Folder(string value)
    {
        try
        {
            return (Path.GetFullPath(value), null);
        }
        catch (ArgumentException)
        {
            return (value, $"--cache needs a folder path; '{value}' is not one.");
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
}
