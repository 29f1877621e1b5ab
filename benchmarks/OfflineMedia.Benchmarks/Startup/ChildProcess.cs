using System.Diagnostics;
using System.Globalization;

namespace OfflineMedia.Benchmarks.Startup;

/// <summary>
/// Runs this benchmark's own executable in a hidden mode (<c>--child NAME key value ...</c>) and reads the figures it
/// prints on its <c>RESULT</c> line. The parent passes its <see cref="Stopwatch"/> timestamp just before the start
/// (<c>--launched</c>): the monotonic clock is shared by every process of the machine, so the child can tell the time
/// from the parent's start request to any point of its own, the runtime's start included.
/// </summary>
internal static class ChildProcess
{
    public const string ResultPrefix = "RESULT ";

    public static async Task<Dictionary<string, double>> RunAsync(string mode, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Started through the dotnet host (dotnet OfflineMedia.Benchmarks.dll), the child needs the assembly's path.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        }

        start.ArgumentList.Add("--child");
        start.ArgumentList.Add(mode);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--launched");
        start.ArgumentList.Add(Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        var lines = (await output.ConfigureAwait(false)).Split('\n');
        var result = lines.LastOrDefault(static l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (process.ExitCode != 0 || result is null)
        {
            throw new InvalidOperationException(
                $"The child '{mode}' exited with {process.ExitCode}:{Environment.NewLine}{string.Join('\n', lines.TakeLast(20))}{Environment.NewLine}{await error.ConfigureAwait(false)}");
        }

        return result[ResultPrefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(static pair => pair.Split('='))
            .ToDictionary(static kv => kv[0], static kv => double.Parse(kv[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }

    /// <summary>Prints the figures on the line the parent reads.</summary>
    public static void Report(params (string Name, double Value)[] figures) =>
        Console.WriteLine(ResultPrefix + string.Join(' ', figures.Select(static f => string.Create(CultureInfo.InvariantCulture, $"{f.Name}={f.Value:0.###}"))));

    /// <summary>Gets the milliseconds since a timestamp of <see cref="Stopwatch.GetTimestamp"/>, taken in this process or another.</summary>
    public static double MillisecondsSince(long timestamp) => Stopwatch.GetElapsedTime(timestamp).TotalMilliseconds;
}
