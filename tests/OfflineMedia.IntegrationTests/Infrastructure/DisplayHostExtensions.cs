using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using OfflineMedia.Cache;
using OfflineMedia.Resolution;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>What a screen that shows exercise media uses of a <see cref="SyncHost"/>, and a player's view of a remote URL.</summary>
internal static class DisplayHostExtensions
{
    public static IMediaSourceResolver Resolver(this SyncHost host) => host.Services.GetRequiredService<IMediaSourceResolver>();

    /// <summary>Caches one variant of the origin, unpinned, as an earlier screen or sync might have.</summary>
    public static Task<CachedMedia> CacheAsync(this SyncHost host, FakeMediaVariant variant) =>
        host.Cache.GetOrDownloadAsync(variant.ToKey(), variant.ToSource());

    /// <summary>Fetches a URL as a player streaming it would, and returns the SHA-256 of what it served.</summary>
    public static async Task<string> FetchSha256Async(Uri url)
    {
        using var client = new HttpClient();
        using var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"GET {url} answered {(int)response.StatusCode}.");
        var body = await response.Content.ReadAsByteArrayAsync();
        return Convert.ToHexStringLower(SHA256.HashData(body));
    }
}
