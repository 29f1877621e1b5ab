namespace OfflineMedia.IntegrationTests.Testing;

/// <summary>Tests that measure process-wide allocations run alone, so parallel tests do not skew them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationSensitiveTestGroup
{
    public const string Name = "Allocation-sensitive (runs alone)";
}
