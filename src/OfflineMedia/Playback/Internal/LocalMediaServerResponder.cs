using System.Buffers;
using System.Globalization;
using System.IO.Abstractions;
using System.Net;
using Microsoft.Extensions.Logging;
using OfflineMedia.Cache;
using OfflineMedia.Diagnostics;

namespace OfflineMedia.Playback.Internal;

/// <summary>
/// Answers one request to the local media server: only from this device (403), only GET and HEAD (405), only a known
/// token (404), one byte range or none (206 or 200; 416 for several, inverted or past the end; 400 for a header that is
/// not a range). The body is copied from the opened media with a pooled buffer; a player that goes away ends the copy
/// and the stream is disposed. Whatever fails is logged and ends this request alone: never the server, never the host.
/// </summary>
internal sealed class LocalMediaServerResponder(LocalMediaServerTokens tokens, IMediaStreams streams, IFileSystem fileSystem, ILogger logger)
{
    private const int BufferSize = 128 * 1024;

    public async Task RespondAsync(HttpListenerContext context, CancellationToken stopping)
    {
        try
        {
            await ServeAsync(context, stopping).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (!stopping.IsCancellationRequested)
            {
                Log.LocalServerRequestFailed(logger, ex);
            }

            Abort(context.Response);
        }
    }

    private async Task ServeAsync(HttpListenerContext context, CancellationToken stopping)
    {
        var request = context.Request;
        var response = context.Response;
        if (request.RemoteEndPoint is not { } remote || !IPAddress.IsLoopback(remote.Address))
        {
            Refuse(response, HttpStatusCode.Forbidden, "not from this device");
            return;
        }

        var head = request.HttpMethod == "HEAD";
        if (!head && request.HttpMethod != "GET")
        {
            response.AddHeader("Allow", "GET, HEAD");
            Refuse(response, HttpStatusCode.MethodNotAllowed, "only GET and HEAD");
            return;
        }

        if (LocalMediaServerTokens.TokenOf(request.RawUrl) is not { } token || tokens.Find(token) is not { } target)
        {
            Refuse(response, HttpStatusCode.NotFound, "no such URL");
            return;
        }

        var range = LocalMediaServerRange.Parse(request.Headers["Range"]);
        if (range.Kind == LocalMediaServerRangeKind.Malformed)
        {
            Refuse(response, HttpStatusCode.BadRequest, "a Range header that is not one");
            return;
        }

        if (await OpenAsync(target, response, stopping).ConfigureAwait(false) is not { } opened)
        {
            return;
        }

        var (media, contentType) = opened;

        await using (media.ConfigureAwait(false))
        {
            var length = media.Length;
            if (!range.TryResolve(length, out var start, out var count))
            {
                response.AddHeader("Content-Range", string.Create(CultureInfo.InvariantCulture, $"bytes */{length}"));
                Refuse(response, HttpStatusCode.RequestedRangeNotSatisfiable, "a range this server does not serve");
                return;
            }

            response.StatusCode = range.Kind == LocalMediaServerRangeKind.Whole ? (int)HttpStatusCode.OK : (int)HttpStatusCode.PartialContent;
            response.ContentType = contentType;
            response.AddHeader("Accept-Ranges", "bytes");
            if (range.Kind != LocalMediaServerRangeKind.Whole)
            {
                response.AddHeader("Content-Range", string.Create(CultureInfo.InvariantCulture, $"bytes {start}-{start + count - 1}/{length}"));
            }

            response.ContentLength64 = count;
            if (!head && count > 0)
            {
                media.Seek(start, SeekOrigin.Begin);
                if (!await CopyAsync(media, response, count, target, stopping).ConfigureAwait(false))
                {
                    return;
                }
            }

            response.Close();
        }
    }

    /// <summary>Opens the target; on failure answers 404 (gone) or 502 (the server behind it failed, or offline) and returns null.</summary>
    private async Task<(Stream Media, string ContentType)?> OpenAsync(LocalMediaServerTarget target, HttpListenerResponse response, CancellationToken stopping)
    {
        try
        {
            return await target.OpenAsync(streams, fileSystem, stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            var status = ex switch
            {
                FileNotFoundException or DirectoryNotFoundException => HttpStatusCode.NotFound,
                MediaCacheException { StatusCode: HttpStatusCode.NotFound or HttpStatusCode.Gone } => HttpStatusCode.NotFound,
                MediaCacheException { Error: MediaCacheError.Network or MediaCacheError.HttpStatus or MediaCacheError.VerificationFailed } => HttpStatusCode.BadGateway,
                _ => HttpStatusCode.InternalServerError,
            };
            Log.LocalServerOpenFailed(logger, target.Description, (int)status, ex);
            Refuse(response, status, "the media could not be opened");
            return null;
        }
    }

    /// <summary>Copies <paramref name="count"/> bytes; false when it stopped short (the response is aborted, so the player sees it cut).</summary>
    private async Task<bool> CopyAsync(Stream media, HttpListenerResponse response, long count, LocalMediaServerTarget target, CancellationToken stopping)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long sent = 0;
        try
        {
            var output = response.OutputStream;
            while (sent < count)
            {
                int read;
                try
                {
                    read = await media.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count - sent)), stopping).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw new EndOfStreamException("The media ended before its length.");
                    }
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    // Offline at a byte not cached yet, or the file went bad: the player gets what there was.
                    Log.LocalServerReadFailed(logger, target.Description, sent, count, ex);
                    Abort(response);
                    return false;
                }

                try
                {
                    await output.WriteAsync(buffer.AsMemory(0, read), stopping).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
                {
                    Log.LocalServerClientGone(logger, target.Description, sent, count);
                    Abort(response);
                    return false;
                }

                sent += read;
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Refuse(HttpListenerResponse response, HttpStatusCode status, string why)
    {
        Log.LocalServerRefused(logger, (int)status, why);
        response.StatusCode = (int)status;
        response.ContentLength64 = 0;
        response.Close();
    }

    private static void Abort(HttpListenerResponse response)
    {
        try
        {
            response.Abort();
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException or HttpListenerException or IOException)
        {
            // Closed already.
        }
    }
}
