namespace OfflineMedia.Cache;

/// <summary>What a trim removed, and where it left the cache.</summary>
/// <param name="EvictedCount">The number of files removed.</param>
/// <param name="EvictedBytes">The bytes removed.</param>
/// <param name="RemainingBytes">The bytes the cache holds after the trim.</param>
/// <param name="BudgetBytes">The budget the trim aimed at.</param>
/// <param name="Evicted">The keys of the removed files, oldest first.</param>
public sealed record TrimResult(int EvictedCount, long EvictedBytes, long RemainingBytes, long BudgetBytes, IReadOnlyList<MediaKey> Evicted)
{
    /// <summary>Gets a value indicating whether the cache is within the budget; when not, pinned media alone exceed it.</summary>
    public bool WithinBudget => RemainingBytes <= BudgetBytes;
}
