using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;

namespace OfflineMedia.Benchmarks;

/// <summary>
/// A suite's own job, added by its config unless a job is given on the command line (<c>--job dry</c>, as CI runs
/// every suite): BenchmarkDotNet would otherwise run the suite's job as well as the given one, and a suite's job
/// attributes (<c>[IterationCount]</c> and the like) would override the given job's counts.
/// </summary>
internal static class SuiteJob
{
    /// <summary>Gets a value indicating whether the command line names a job.</summary>
    public static bool GivenOnCommandLine { get; } = Environment.GetCommandLineArgs().Any(static a => a is "--job" or "-j");

    /// <summary>Adds a job of single invocations (each iteration set up afresh) with these counts, unless one is given.</summary>
    public static ManualConfig AddOwnJob(this ManualConfig config, RunStrategy strategy, int warmupCount, int iterationCount)
    {
        if (!GivenOnCommandLine)
        {
            config.AddJob(Job.Default.WithStrategy(strategy).WithLaunchCount(1).WithWarmupCount(warmupCount)
                .WithIterationCount(iterationCount).WithInvocationCount(1).WithUnrollFactor(1));
        }

        return config;
    }
}
