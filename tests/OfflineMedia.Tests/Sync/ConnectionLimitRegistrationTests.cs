using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using OfflineMedia.Cache.Internal;
using OfflineMedia.Catalog.Internal;

namespace OfflineMedia.Tests.Sync;

/// <summary>The connection limit on the primary handlers the SDK registers, media and API alike.</summary>
public sealed class ConnectionLimitRegistrationTests
{
    [Theory]
    [InlineData(4, null, 6)]
    [InlineData(16, null, 18)]
    [InlineData(8, 4, 4)]
    public void AddOfflineMedia_MediaHandler_LimitsConnectionsPerServer(int parallel, int? limit, int expected)
    {
        using var provider = Provider(parallel, limit);

        var handler = Assert.IsType<SocketsHttpHandler>(Primary(provider, MediaDownloader.HttpClientName));

        Assert.Equal(expected, handler.MaxConnectionsPerServer);
    }

    [Fact]
    public void AddOfflineMedia_ApiHandler_LimitsConnectionsPerServerToo()
    {
        using var provider = Provider(4, null);

        var handler = Assert.IsType<HttpClientHandler>(Primary(provider, CatalogHttp.HttpClientName));

        Assert.Equal(6, handler.MaxConnectionsPerServer);
    }

    private static ServiceProvider Provider(int parallel, int? limit)
    {
        var services = new ServiceCollection();
        services.AddOfflineMedia(o =>
        {
            o.CacheDirectory = Path.GetTempPath();
            o.MaxParallelDownloads = parallel;
            o.MaxConnectionsPerServer = limit;
        });
        return services.BuildServiceProvider();
    }

    /// <summary>The primary handler at the end of the factory's chain for <paramref name="name"/>.</summary>
    private static HttpMessageHandler Primary(IServiceProvider provider, string name)
    {
        HttpMessageHandler handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(name);
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler!;
        }

        return handler;
    }
}
