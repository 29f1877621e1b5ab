using System.IO.Abstractions;
using System.Net;
using Microsoft.Extensions.Logging;
using OfflineMedia.Cache;
using OfflineMedia.Resolution;

namespace OfflineMedia.Playback.Internal;

/// <summary>
/// The <see cref="ILocalMediaServer"/>: hands out URLs (<see cref="LocalMediaServerTokens"/>), starts the listener on the
/// first one (<see cref="LocalMediaServerListener"/>, again if it failed), and answers each request with
/// <see cref="LocalMediaServerResponder"/>. It uses the BCL's <see cref="HttpListener"/> (a managed implementation on
/// every platform but Windows), so it adds no dependency and runs in mobile apps too.
/// </summary>
internal sealed class LocalMediaServer : ILocalMediaServer, IAsyncDisposable, IDisposable
{
    private readonly LocalMediaServerTokens _tokens = new();
    private readonly LocalMediaServerResponder _responder;
    private readonly ILogger<LocalMediaServer> _logger;
    private readonly object _gate = new();
    private LocalMediaServerListener? _listener;
    private bool _disposed;

    public LocalMediaServer(IMediaStreams streams, IFileSystem fileSystem, ILogger<LocalMediaServer> logger)
    {
        _responder = new LocalMediaServerResponder(_tokens, streams, fileSystem, logger);
        _logger = logger;
    }

    public ValueTask<Uri> GetUrlAsync(MediaKey key, MediaSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(UrlOf(key, LocalMediaServerTarget.ThroughCache(key, source)));
    }

    public ValueTask<Uri> GetUrlAsync(ResolvedMedia media, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(media);
        cancellationToken.ThrowIfCancellationRequested();
        return media switch
        {
            { Source: MediaSourceKind.Local, LocalPath: { } path } when Path.IsPathFullyQualified(path) =>
                ValueTask.FromResult(UrlOf(new CachedFile(path), LocalMediaServerTarget.CachedFile(path))),
            { Source: MediaSourceKind.Remote, Key: { } key, Download: { } download } =>
                GetUrlAsync(key, download, cancellationToken),
            { Source: MediaSourceKind.Unavailable } =>
                throw new ArgumentException($"The media is unavailable, so it has no URL: {media.Reason}", nameof(media)),
            _ => throw new ArgumentException(
                "The media carries no key and download source to read it through the cache (resolve it with the SDK's resolver), or no full path to its cached file.",
                nameof(media)),
        };
    }

    public async ValueTask DisposeAsync()
    {
        LocalMediaServerListener? listener;
        lock (_gate)
        {
            _disposed = true;
            listener = _listener;
            _listener = null;
        }

        if (listener is not null)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }

    // A container disposed synchronously disposes its singletons this way; the listener's stop has no context to block on.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private Uri UrlOf(object identity, LocalMediaServerTarget target)
    {
        var port = EnsureStarted();
        var token = _tokens.Add(identity, target);
        return new Uri($"http://127.0.0.1:{port}/{token}/{Uri.EscapeDataString(target.FileName)}");
    }

    private int EnsureStarted()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_listener is { IsAccepting: true } running)
            {
                return running.Port;
            }

            if (!HttpListener.IsSupported)
            {
                throw new PlatformNotSupportedException("The local media server needs System.Net.HttpListener, which this platform does not support; play media through IMediaStreams instead.");
            }

            // A listener that failed is replaced: URLs handed out before name its port, so players ask again for new ones.
            _ = _listener?.DisposeAsync().AsTask();
            _listener = LocalMediaServerListener.Start(_responder.RespondAsync, _logger);
            return _listener.Port;
        }
    }

    /// <summary>The identity of a cached file's URL, apart from a key's.</summary>
    private sealed record CachedFile(string Path);
}
