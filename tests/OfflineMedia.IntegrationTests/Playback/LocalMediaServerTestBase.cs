using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Playback;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Playback;

/// <summary>
/// The local media server as an app turns it on (<c>EnableLocalMediaServer</c>), over files in the test's temp folder
/// read through <see cref="FileMediaStreams"/>, and an HTTP client that asks it as a player would.
/// </summary>
public abstract class LocalMediaServerTestBase : OriginTestBase
{
    protected static readonly MediaKey Video = new("squat", MediaKind.Video, "720p");

    private SyncHost? _host;

    internal FileMediaStreams Streams { get; private set; } = null!;

    protected SyncHost Host => _host!;

    protected ILocalMediaServer Server => Host.Services.GetRequiredService<ILocalMediaServer>();

    protected HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>Gets the network the host sees; Wi-Fi unless a test switches it.</summary>
    protected FakeConnectivityProbe Network { get; } = new(FakeConnectivityProbe.WiFi);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var files = Path.Combine(Temp.Path, "files");
        Directory.CreateDirectory(files);
        Streams = new FileMediaStreams(files);
        _host = new SyncHost(Root, Origin.BaseAddress, network: Network, adapt: builder =>
        {
            builder.EnableLocalMediaServer();
            builder.Services.AddSingleton<IMediaStreams>(Streams); // The app's own registration wins over the SDK's.
        });
    }

    public override async Task DisposeAsync()
    {
        Http.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    protected ValueTask<Uri> UrlAsync(MediaKey key) => Server.GetUrlAsync(key, new MediaSource($"https://cdn.example.com/{key.ExerciseId}/{key.Variant}.mp4?sig=secret"));

    protected async Task<HttpResponseMessage> GetAsync(Uri url, string? range = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, url);
        if (range is not null)
        {
            request.Headers.TryAddWithoutValidation("Range", range);
        }

        return await Http.SendAsync(request);
    }

    /// <summary>Checks the server still serves a whole file, byte for byte, after whatever the test did to it.</summary>
    protected async Task AssertStillServesAsync()
    {
        var key = new MediaKey("still-serving", MediaKind.Video, "720p");
        var bytes = Streams.Add(key, 10_000);
        using var response = await GetAsync(await UrlAsync(key));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
    }
}
