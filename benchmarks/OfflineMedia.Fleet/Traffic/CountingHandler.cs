using OfflineMedia.Fleet.Devices;

namespace OfflineMedia.Fleet.Traffic;

/// <summary>Sits in a device's API and media clients: records each request and keeps it counted in flight until its body is read or let go.</summary>
/// <param name="meter">The fleet's meter.</param>
/// <param name="clock">The device's clock.</param>
/// <param name="closeConnection">Whether to ask the server to close the connection after its answer (<c>Connection: close</c>).</param>
internal sealed class CountingHandler(TrafficMeter meter, TimeProvider clock, bool closeConnection = false) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (closeConnection)
        {
            request.Headers.ConnectionClose = true;
        }

        var path = request.RequestUri?.AbsolutePath ?? string.Empty;
        var entry = new ClientRequest(clock.GetUtcNow(), path.StartsWith("/media/", StringComparison.Ordinal), SyncTag.Current);
        meter.Started(entry);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch
        {
            meter.Ended();
            throw;
        }

        entry.Status = (int)response.StatusCode;
        response.Content = new CountedContent(response.Content, entry, meter);
        return response;
    }
}
