using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace OfflineMedia.Benchmarks.Playback;

/// <summary>
/// The practical limit of any server of a file on 127.0.0.1: a bare socket that answers an 8-byte offset with that
/// range of the file (read with <see cref="RandomAccess"/>), no HTTP at all. What the local media server adds over it is
/// its own cost; what it takes over reading the file directly is the loopback's.
/// </summary>
internal sealed class LoopbackFileSocket : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly TcpClient _client = new();
    private readonly Task _serving;
    private NetworkStream? _stream;

    public LoopbackFileSocket(string path, int rangeBytes)
    {
        _listener.Start();
        _serving = Task.Run(async () =>
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
            using var peer = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
            var stream = peer.GetStream();
            var request = new byte[8];
            var buffer = new byte[rangeBytes];
            while (await stream.ReadAtLeastAsync(request, 8, throwOnEndOfStream: false).ConfigureAwait(false) == 8)
            {
                var read = await RandomAccess.ReadAsync(handle, buffer, BinaryPrimitives.ReadInt64LittleEndian(request)).ConfigureAwait(false);
                await stream.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
            }
        });
    }

    public async Task ReadAsync(long[] offsets, byte[] buffer)
    {
        if (_stream is null)
        {
            await _client.ConnectAsync((IPEndPoint)_listener.LocalEndpoint).ConfigureAwait(false);
            _stream = _client.GetStream();
        }

        var request = new byte[8];
        foreach (var offset in offsets)
        {
            BinaryPrimitives.WriteInt64LittleEndian(request, offset);
            await _stream.WriteAsync(request).ConfigureAwait(false);
            await _stream.ReadExactlyAsync(buffer).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _serving.ConfigureAwait(false);
        _listener.Stop();
        _listener.Dispose();
    }
}
