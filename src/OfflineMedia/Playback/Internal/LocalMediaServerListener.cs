using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using OfflineMedia.Diagnostics;

namespace OfflineMedia.Playback.Internal;

/// <summary>
/// The socket side of the local media server: an <see cref="HttpListener"/> on 127.0.0.1 and a free port, accepting
/// requests and answering each on the thread pool, so a slow player never holds up another. Disposing it stops
/// accepting, cancels the answers in progress and waits (a few seconds at most) for them to close their streams.
/// </summary>
internal sealed class LocalMediaServerListener : IAsyncDisposable
{
    private const int BindAttempts = 10;
    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(5);

    private readonly HttpListener _listener;
    private readonly Func<HttpListenerContext, CancellationToken, Task> _respond;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _accepting = Task.CompletedTask;
    private int _responding;
    private int _disposed;

    private LocalMediaServerListener(HttpListener listener, int port, Func<HttpListenerContext, CancellationToken, Task> respond, ILogger logger)
    {
        _listener = listener;
        Port = port;
        _respond = respond;
        _logger = logger;
    }

    public int Port { get; }

    /// <summary>Gets a value indicating whether it still accepts requests (false once disposed, or after the listener failed).</summary>
    public bool IsAccepting => _listener.IsListening && !_accepting.IsCompleted;

    /// <summary>Listens on 127.0.0.1 and a port from <paramref name="pickPort"/> (a free one by default), trying another when it was taken meanwhile.</summary>
    /// <exception cref="HttpListenerException">No port could be listened on.</exception>
    public static LocalMediaServerListener Start(Func<HttpListenerContext, CancellationToken, Task> respond, ILogger logger, Func<int>? pickPort = null)
    {
        pickPort ??= FreePort;
        for (var attempt = 1; ; attempt++)
        {
            var port = pickPort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
            }
            catch (HttpListenerException) when (attempt < BindAttempts)
            {
                // Another process took the port between the probe and the bind.
                listener.Close();
                Log.LocalServerPortTaken(logger, port);
                continue;
            }
            catch
            {
                listener.Close();
                throw;
            }

            var server = new LocalMediaServerListener(listener, port, respond, logger);
            server._accepting = Task.Run(server.AcceptAsync);
            Log.LocalServerStarted(logger, port);
            return server;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Close(); // Ends the accept loop and the connections, so writes to players stop at once.
        try
        {
            await _accepting.WaitAsync(s_drainTimeout).ConfigureAwait(false);
            if (Volatile.Read(ref _responding) == 0)
            {
                _drained.TrySetResult();
            }

            await _drained.Task.WaitAsync(s_drainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // An answer stuck in a read of its own past its deadline; its stream is disposed when it returns. (So the
            // token source is not disposed: that answer may still look at it. It holds no timer, nothing to release.)
        }
    }

    /// <summary>A port free on 127.0.0.1 now, as the system picks one for port 0.</summary>
    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        try
        {
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        finally
        {
            probe.Stop();
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.LocalServerAcceptFailed(_logger, ex);
                return;
            }

            Interlocked.Increment(ref _responding);
            _ = Task.Run(() => RespondAsync(context));
        }
    }

    private async Task RespondAsync(HttpListenerContext context)
    {
        try
        {
            await _respond(context, _stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            if (Interlocked.Decrement(ref _responding) == 0 && _stopping.IsCancellationRequested)
            {
                _drained.TrySetResult();
            }
        }
    }
}
