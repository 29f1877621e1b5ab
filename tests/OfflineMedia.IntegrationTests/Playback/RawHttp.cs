using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OfflineMedia.IntegrationTests.Playback;

/// <summary>
/// Bytes sent to a server on 127.0.0.1 over a plain socket, as a hostile or broken client sends them, then the sending side
/// shut; the answer is read until the server closes.
/// </summary>
internal static class RawHttp
{
    public static async Task<RawResponse> SendAsync(int port, string request) => await SendAsync(port, Encoding.Latin1.GetBytes(request));

    public static async Task<RawResponse> SendAsync(int port, byte[] request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await stream.WriteAsync(request, timeout.Token);
            client.Client.Shutdown(SocketShutdown.Send); // All sent: a request cut short ends here, as a client that gave up.
        }
        catch (IOException)
        {
            // The server answered and closed before it read all of a huge request.
        }

        var answer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(answer, timeout.Token);
        }
        catch (IOException)
        {
            // Reset after the answer: what came is the answer.
        }

        return new RawResponse(Encoding.Latin1.GetString(answer.ToArray()));
    }
}

/// <summary>An HTTP answer as text: its status and headers.</summary>
internal sealed record RawResponse(string Text)
{
    public int Status => Text.Split(' ', 3) is [_, var code, ..] && int.TryParse(code, out var status) ? status : 0;

    public string? Header(string name) => Text.Split("\r\n\r\n")[0].Split("\r\n")
        .Select(line => line.Split(':', 2))
        .FirstOrDefault(parts => parts.Length == 2 && parts[0].Equals(name, StringComparison.OrdinalIgnoreCase))?[1].Trim();
}
