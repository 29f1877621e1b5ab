using BenchmarkDotNet.Running;

namespace OfflineMedia.Benchmarks;

/// <summary>Runs the suites chosen on the command line, for example <c>--filter *VariantSelection*</c>.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
