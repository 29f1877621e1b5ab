using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Infrastructure;

internal static class OriginRequests
{
    /// <summary>
    /// The requests for a variant once the origin has finished each: the client can hold a whole body
    /// before the origin has counted its last chunk, so byte counts are read only after that.
    /// </summary>
    public static async Task<IReadOnlyList<FakeOriginRequest>> CompletedAsync(this FakeOriginRequestLog log, FakeMediaVariant variant)
    {
        await CacheFolder.WaitUntilAsync(() => log.ForPath(variant).All(r => r.IsCompleted), $"the origin finished every request for {variant}");
        return log.ForPath(variant);
    }
}
