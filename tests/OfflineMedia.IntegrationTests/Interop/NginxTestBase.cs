using Microsoft.Extensions.DependencyInjection;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sync;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Interop;

/// <summary>
/// The set-up the interop tests share: a temp folder with the cache folder, the class's catalog written as a static site
/// (<see cref="StaticCatalogSite"/>), and the nginx servers a test starts on it. After the test the hosts are disposed,
/// then the servers, then the folder.
/// </summary>
public abstract class NginxTestBase : TempFolderTestBase
{
    private readonly List<NginxServer> _servers = [];

    /// <summary>Gets the "now" the catalog is built around: the real time when the test started.</summary>
    protected DateTimeOffset Now { get; } = DateTimeOffset.UtcNow;

    /// <summary>Gets the site every server of this test serves.</summary>
    protected StaticCatalogSite Site { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Site = StaticCatalogSite.Write(Path.Combine(Temp.Path, "site"), CreateCatalog(), Now);
    }

    public override async Task DisposeAsync()
    {
        try
        {
            await DisposeHostsAsync(); // Before the servers, as a test's own `await using` would.
            foreach (var server in _servers)
            {
                await server.DisposeAsync();
            }
        }
        finally
        {
            await base.DisposeAsync();
        }
    }

    /// <summary>Makes the catalog the site holds, once per test; a small week from now by default.</summary>
    protected virtual FakeMediaCatalog CreateCatalog() => FakeMediaCatalog.CreateWeek(Now, scale: 500);

    /// <summary>Starts an nginx serving <see cref="Site"/>, stopped after the test.</summary>
    protected async Task<NginxServer> StartNginxAsync(NginxOptions? options = null)
    {
        var server = await NginxServer.StartAsync(Path.Combine(Temp.Path, $"nginx-{_servers.Count + 1}"), Site.Root, options);
        _servers.Add(server);
        return server;
    }

    /// <summary>Makes the SDK's two HTTP clients trust <paramref name="certificate"/> alone, as a host with its own CA would.</summary>
    protected static Action<OfflineMediaBuilder> Trusting(TestCertificate certificate) => builder => builder
        .ConfigureMediaHttpClient(media => media.ConfigurePrimaryHttpMessageHandler((handler, _) =>
            ((SocketsHttpHandler)handler).SslOptions.RemoteCertificateValidationCallback = (_, presented, _, errors) => certificate.Validate(presented, errors)))
        .ConfigureApiHttpClient(api => api.ConfigurePrimaryHttpMessageHandler((handler, _) =>
            ((HttpClientHandler)handler).ServerCertificateCustomValidationCallback = (_, presented, _, errors) => certificate.Validate(presented, errors)));

    /// <summary>Asserts that every item of <paramref name="report"/> is cached and its file is byte for byte the file nginx serves.</summary>
    protected void AssertByteIdentical(SyncReport report)
    {
        Assert.NotEmpty(report.Items);
        foreach (var item in report.Items)
        {
            Assert.True(item.LocalPath is not null, $"{item.Key} is {item.Outcome}: {item.Reason}");
            Assert.Equal(Site.Sha256Of(Site.Catalog.VariantOf(item.Key)), CacheFolder.Sha256(item.LocalPath));
        }
    }
}
