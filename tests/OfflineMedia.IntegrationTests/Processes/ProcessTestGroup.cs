namespace OfflineMedia.IntegrationTests.Processes;

/// <summary>
/// Tests of several processes on one cache folder run alone: each starts child processes that sync for seconds, and
/// other tests' load on a small machine would only stretch them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessTestGroup
{
    public const string Name = "Processes (runs alone)";
}
