using System.Globalization;

namespace OfflineMedia.Benchmarks.Startup;

/// <summary>The <c>--name value</c> pairs a child was started with (see <see cref="ChildProcess"/>).</summary>
internal sealed class ChildArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public ChildArguments(string[] args)
    {
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            _values[args[i].TrimStart('-')] = args[i + 1];
        }
    }

    public string this[string name] =>
        _values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"The child needs --{name}.", nameof(name));

    public int Int(string name) => int.Parse(this[name], CultureInfo.InvariantCulture);

    public long Long(string name) => long.Parse(this[name], CultureInfo.InvariantCulture);
}
