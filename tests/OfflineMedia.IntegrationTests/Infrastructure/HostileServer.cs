using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>
/// A server on 127.0.0.1 that misbehaves the way a test tells it to (trickles, never answers, drops, redirects
/// anywhere, answers a resume with other content): one handler for every request, with the request count and the
/// <c>Range</c> of each request recorded. Disposing it aborts whatever is still hanging.
/// </summary>
public sealed class HostileServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<(string PathAndQuery, string? Range)> _requests = new();

    private HostileServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Gets a token cancelled when the server is disposed, for handlers that wait forever.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Gets every request received, in order: its path and query, and its <c>Range</c> header.</summary>
    public IReadOnlyList<(string PathAndQuery, string? Range)> Requests => [.. _requests];

    public static async Task<HostileServer> StartAsync(Func<HttpContext, HostileServer, Task> handle)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            // A client reading slowly is part of some scenarios; never let Kestrel cut it off for that.
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
        });

        var app = builder.Build();
        var server = new HostileServer(app);
        app.Run(context =>
        {
            server._requests.Enqueue((context.Request.Path + context.Request.QueryString, context.Request.Headers.Range.ToString() is { Length: > 0 } range ? range : null));
            return handle(context, server);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Answers JSON.</summary>
    public static Task JsonAsync(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    /// <summary>The upcoming workouts: one, tomorrow, with the exercises <paramref name="exerciseIds"/>.</summary>
    public static string UpcomingJson(params string[] exerciseIds)
    {
        var exercises = string.Join(", ", exerciseIds.Select(id => "{ \"id\": \"" + id + "\" }"));
        return $$"""[ { "id": "w-1", "name": "Hostile", "scheduledAt": "{{DateTimeOffset.UtcNow.AddDays(1):O}}", "exercises": [ {{exercises}} ] } ]""";
    }

    /// <summary>An exercise's media offering only a medium image (what a phone takes) at <paramref name="imageUrl"/>.</summary>
    public static string MediaJson(string imageUrl, long? bytes = null) =>
        bytes is { } size
            ? $$"""{ "images": { "medium": { "url": "{{imageUrl}}", "bytes": {{size}} } } }"""
            : $$"""{ "images": { "medium": "{{imageUrl}}" } }""";

    /// <summary>Sends <paramref name="bytes"/>, makes sure they left, then drops the connection mid-body.</summary>
    public static async Task SendThenDropAsync(HttpContext context, ReadOnlyMemory<byte> bytes)
    {
        await context.Response.Body.WriteAsync(bytes);
        await context.Response.Body.FlushAsync();
        await Task.Delay(100);
        context.Abort();
    }

    /// <summary>Sends one byte every <paramref name="interval"/> until the client or the server gives up.</summary>
    public async Task TrickleAsync(HttpContext context, TimeSpan interval)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, Stopping);
        try
        {
            while (true)
            {
                await context.Response.Body.WriteAsync("x"u8.ToArray(), stop.Token);
                await context.Response.Body.FlushAsync(stop.Token);
                await Task.Delay(interval, stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            context.Abort();
        }
    }

    /// <summary>Waits until the client or the server gives up, sending nothing more.</summary>
    public async Task HangAsync(HttpContext context)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, Stopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            context.Abort();
        }
    }

    public static byte[] Body(int length, byte seed) => [.. Enumerable.Range(0, length).Select(i => (byte)((i * 31) + seed))];

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopTimeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
