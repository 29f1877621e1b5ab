using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;

namespace OfflineMedia.Fleet;

/// <summary>The tool's command line; every flag has a default.</summary>
internal sealed record FleetArguments
{
    public int Devices { get; init; }

    public string Origin { get; init; } = "fake";

    public double Changed { get; init; }

    public int Concurrency { get; init; }

    /// <summary>Reads the command line: the arguments, or null after <c>--help</c> or a bad flag (with the exit code to return).</summary>
    public static FleetArguments? Parse(string[] args, out int exitCode)
    {
        var devices = Number("--devices", "Simulated phones, each with its own cache folder and SDK host", 1, 20_000, 1000);
        var changed = Number("--changed", "Share of the media changed at the origin before the third day", 0, 1, 0.05);
        var concurrency = Number("--concurrency", "Devices syncing at once in the first sync", 1, 5_000, 50);
        var origin = new Option<string>("--origin")
        {
            HelpName = "fake|nginx",
            Description = "What serves the API and the media: the SDK's fake origin on 127.0.0.1, or nginx serving the same catalog as files",
            DefaultValueFactory = _ => "fake",
        };
        origin.AcceptOnlyFromAmong("fake", "nginx");
        var command = new Command("OfflineMedia.Fleet", "Simulates a fleet of phones syncing a week of workouts against one origin, over three days.")
        {
            devices, origin, changed, concurrency, new HelpOption("--help", "-h") { Description = "Show this help" },
        };

        var result = command.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.Errors.Count > 0)
        {
            Console.Error.WriteLine(result.Errors[0].Message);
            exitCode = 1;
            return null;
        }

        if (result.Action is HelpAction)
        {
            exitCode = result.Invoke();
            return null;
        }

        exitCode = 0;
        return new FleetArguments
        {
            Devices = (int)result.GetValue(devices),
            Origin = result.GetRequiredValue(origin),
            Changed = result.GetValue(changed),
            Concurrency = (int)result.GetValue(concurrency),
        };
    }

    private static Option<double> Number(string name, string description, double min, double max, double defaultValue) => new(name)
    {
        HelpName = "N",
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                return value;
            }

            result.AddError($"{name} must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}; '{text}' is not.");
            return defaultValue;
        },
    };
}
