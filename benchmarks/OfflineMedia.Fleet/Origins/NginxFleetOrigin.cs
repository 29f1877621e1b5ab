using System.Diagnostics;
using System.Globalization;
using OfflineMedia.Testing;

namespace OfflineMedia.Fleet.Origins;

/// <summary>nginx serving the catalog as a static site (<see cref="StaticCatalogSite"/>): the same API and media, nginx's HTTP rules.</summary>
internal sealed class NginxFleetOrigin : IFleetOrigin
{
    private readonly NginxProcess _nginx;
    private readonly StaticCatalogSite _site;
    private long _logOffset;

    private NginxFleetOrigin(NginxProcess nginx, StaticCatalogSite site, string version)
    {
        _nginx = nginx;
        _site = site;
        Description = $"{version} (static files, HTTP/1.1, 1 worker, a child process)";
    }

    public string Description { get; }

    public Uri BaseAddress => _nginx.BaseAddress;

    public FakeMediaCatalog Catalog => _site.Catalog;

    public static async Task<NginxFleetOrigin> StartAsync(string folder, FakeMediaCatalog catalog, DateTimeOffset now)
    {
        var site = StaticCatalogSite.Write(Path.Combine(folder, "site"), catalog, now);
        var nginx = await NginxProcess.StartAsync(Path.Combine(folder, "nginx"), site.Root);
        return new NginxFleetOrigin(nginx, site, NginxProcess.Version());
    }

    public Task ChangeContentAsync(IReadOnlyList<FakeMediaVariant> variants)
    {
        foreach (var variant in variants)
        {
            variant.ChangeContent();
            _site.Rewrite(variant);
        }

        return Task.CompletedTask;
    }

    public string Sha256Of(FakeMediaVariant variant) => _site.Sha256Of(variant);

    public async Task<IReadOnlyList<OriginHit>> TakeRequestsAsync()
    {
        // nginx writes a line when it is done with a request: wait until the log stops growing.
        var clock = Stopwatch.StartNew();
        long last = -1;
        while (Length() is var length && length != last && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            last = length;
            await Task.Delay(200);
        }

        var hits = new List<OriginHit>();
        using var stream = new FileStream(_nginx.AccessLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Position = _logOffset;
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync() is { } line)
        {
            var fields = line.Split('\t');
            if (fields.Length == 3)
            {
                hits.Add(new OriginHit(
                    fields[0].StartsWith("/media/", StringComparison.Ordinal),
                    int.Parse(fields[1], CultureInfo.InvariantCulture),
                    long.Parse(fields[2], CultureInfo.InvariantCulture)));
            }
        }

        _logOffset = stream.Length;
        return hits;
    }

    public ValueTask DisposeAsync() => _nginx.DisposeAsync();

    private long Length() => File.Exists(_nginx.AccessLogPath) ? new FileInfo(_nginx.AccessLogPath).Length : 0;
}
