using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OfflineMedia.Testing.Internal;

namespace OfflineMedia.Testing;

/// <summary>
/// A real HTTP/1.1 server on <c>127.0.0.1</c> (a free port) that speaks the OfflineMedia server contract
/// from a <see cref="FakeMediaCatalog"/>, with faults injectable per path and a log of every request.
/// </summary>
/// <remarks>
/// <para>Routes: <c>GET /api/exercises/{id}/media</c>, <c>GET /api/workouts/{id}</c>,
/// <c>GET /api/workouts/upcoming?days=N</c> (default 7), and media files at
/// <c>/media/{images|videos}/{exerciseId}/{variant}/{fileName}</c> and, with <c>?sig=…&amp;exp=…</c>, at
/// <c>/cdn/…</c>. <c>HEAD</c> is answered too; other methods get 405.</para>
/// <para>Media responses carry <c>Content-Type</c>, <c>Content-Length</c>, a strong <c>ETag</c>,
/// <c>Last-Modified</c> and <c>Accept-Ranges: bytes</c>; a single <c>Range</c> gets 206 (416 when
/// unsatisfiable, several ranges the whole file), <c>If-Range</c> that does not match gets the whole file,
/// and <c>If-None-Match</c> (or, without it, <c>If-Modified-Since</c>) gets 304.</para>
/// <para>The origin logs nothing unless <see cref="FakeMediaOriginOptions.LoggerFactory"/> is set.</para>
/// </remarks>
public sealed class FakeMediaOrigin : IAsyncDisposable
{
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;
    private readonly OriginRequestHandler _handler;
    private int _disposed;

    private FakeMediaOrigin(
        WebApplication app,
        CancellationTokenSource stopping,
        OriginRequestHandler handler,
        Uri baseAddress,
        FakeMediaCatalog catalog,
        FakeFaultRegistry faults,
        FakeOriginRequestLog requests)
    {
        _app = app;
        _stopping = stopping;
        _handler = handler;
        BaseAddress = baseAddress;
        Catalog = catalog;
        Faults = faults;
        Requests = requests;
    }

    /// <summary>Gets the address of the origin, such as <c>http://127.0.0.1:5123/</c> (with a trailing slash).</summary>
    public Uri BaseAddress { get; }

    /// <summary>Gets the catalog served; changes to it show in the next response.</summary>
    public FakeMediaCatalog Catalog { get; }

    /// <summary>Gets the faults, settable and clearable while the origin runs.</summary>
    public FakeFaultRegistry Faults { get; }

    /// <summary>Gets the log of the requests received.</summary>
    public FakeOriginRequestLog Requests { get; }

    /// <summary>Starts an origin serving <paramref name="catalog"/>.</summary>
    /// <param name="catalog">The catalog to serve.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running origin; dispose it to stop it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> or <see cref="FakeMediaOriginOptions.TimeProvider"/> is <see langword="null"/>.</exception>
    public static async Task<FakeMediaOrigin> StartAsync(
        FakeMediaCatalog catalog,
        FakeMediaOriginOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        options ??= new FakeMediaOriginOptions();
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SignedUrlLifetime, TimeSpan.Zero, nameof(options));

        var faults = new FakeFaultRegistry();
        var requests = new FakeOriginRequestLog();
        var stopping = new CancellationTokenSource();
        var handler = new OriginRequestHandler(catalog, options, faults, requests, stopping.Token);

        // The empty builder reads no configuration or environment (no ASPNETCORE_URLS surprises) and adds no log providers.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(options.LoggerFactory ?? NullLoggerFactory.Instance);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = s_stopTimeout);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;

            // Tests pause reading (a paused sync, a slow consumer); never let Kestrel cut them off for it.
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
        });

        var app = builder.Build();
        app.Run(handler.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            stopping.Dispose();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var baseAddress = new Uri(address.TrimEnd('/') + "/");
        handler.Authority = baseAddress.GetLeftPart(UriPartial.Authority);
        return new FakeMediaOrigin(app, stopping, handler, baseAddress, catalog, faults, requests);
    }

    /// <summary>Resolves an origin-relative path (and query) against <see cref="BaseAddress"/>.</summary>
    /// <param name="relativePath">A path such as <c>/api/workouts/w-1</c>.</param>
    /// <returns>The absolute URI.</returns>
    public Uri GetUri(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        return new Uri(BaseAddress, relativePath);
    }

    /// <summary>Gets the absolute <c>/media/…</c> URI of a variant.</summary>
    /// <param name="variant">The variant.</param>
    /// <returns>The absolute URI.</returns>
    public Uri GetMediaUri(FakeMediaVariant variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        return GetUri(variant.Path);
    }

    /// <summary>Gets the absolute <c>/media/…</c> URI of a variant of the catalog.</summary>
    /// <param name="exerciseId">The exercise id.</param>
    /// <param name="kind">The group of the variant.</param>
    /// <param name="variantName">The variant name.</param>
    /// <returns>The absolute URI.</returns>
    /// <exception cref="KeyNotFoundException">The catalog has no such exercise or variant.</exception>
    public Uri GetMediaUri(string exerciseId, FakeMediaKind kind, string variantName)
        => GetMediaUri(Catalog.GetVariant(exerciseId, kind, variantName));

    /// <summary>Gets a freshly signed "CDN" URI of a variant (<c>/cdn/…?sig=…&amp;exp=…</c>); each call signs anew.</summary>
    /// <param name="variant">The variant.</param>
    /// <returns>The absolute URI.</returns>
    public Uri GetSignedCdnUri(FakeMediaVariant variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        return new Uri(_handler.SignedCdnUrl(variant.Path));
    }

    /// <summary>Gets the URI of an exercise's media JSON, <c>/api/exercises/{id}/media</c>.</summary>
    /// <param name="exerciseId">The exercise id.</param>
    /// <returns>The absolute URI.</returns>
    public Uri GetExerciseMediaUri(string exerciseId)
    {
        ArgumentNullException.ThrowIfNull(exerciseId);
        return GetUri($"/api/exercises/{Uri.EscapeDataString(exerciseId)}/media");
    }

    /// <summary>Gets the URI of a workout, <c>/api/workouts/{id}</c>.</summary>
    /// <param name="workoutId">The workout id.</param>
    /// <returns>The absolute URI.</returns>
    public Uri GetWorkoutUri(string workoutId)
    {
        ArgumentNullException.ThrowIfNull(workoutId);
        return GetUri($"/api/workouts/{Uri.EscapeDataString(workoutId)}");
    }

    /// <summary>Gets the URI of the upcoming workouts, <c>/api/workouts/upcoming?days={days}</c>.</summary>
    /// <param name="days">The window in days.</param>
    /// <returns>The absolute URI.</returns>
    public Uri GetUpcomingWorkoutsUri(int days = 7)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        return GetUri(string.Create(CultureInfo.InvariantCulture, $"/api/workouts/upcoming?days={days}"));
    }

    /// <summary>Creates an <see cref="HttpClient"/> whose <see cref="HttpClient.BaseAddress"/> is the origin's; the caller disposes it.</summary>
    /// <returns>The client.</returns>
    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    /// <summary>
    /// Stops the origin: stalled and delayed responses are aborted at once, then the server stops (waiting at
    /// most a few seconds for responses in flight). Idempotent.
    /// </summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        using (var timeout = new CancellationTokenSource(s_stopTimeout))
        {
            try
            {
                await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Responses still in flight after the timeout are cut off; that is the point of stopping.
            }
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
