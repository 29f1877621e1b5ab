using BenchmarkDotNet.Running;
using OfflineMedia.Benchmarks.Sync;

namespace OfflineMedia.Benchmarks;

/// <summary>
/// Runs the suites chosen on the command line, for example <c>--filter *VariantSelection*</c>; or, with
/// <c>--paired</c>, the sync of the SDK and of the practical limit in alternation (see <see cref="PairedSyncRun"/>).
/// </summary>
public static class Program
{
    public static async Task Main(string[] args)
    {
        if (args is ["--paired"])
        {
            await PairedSyncRun.RunAsync().ConfigureAwait(false);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
