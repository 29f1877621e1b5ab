using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace OfflineMedia.IntegrationTests.Testing;

/// <summary>Small helpers for talking to the fake origin in these tests.</summary>
internal static class OriginHttp
{
    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, Action<HttpRequestHeaders>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        headers?.Invoke(request.Headers);
        return await client.SendAsync(request);
    }

    /// <summary>Reads a body until it ends or fails, returning what arrived and the failure.</summary>
    public static async Task<(byte[] Received, Exception? Error)> ReadAllAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        using var received = new MemoryStream();
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[8192];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                received.Write(buffer, 0, read);
            }

            return (received.ToArray(), null);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            return (received.ToArray(), ex);
        }
    }
}
