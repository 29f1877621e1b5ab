using System.Buffers;
using System.IO.Abstractions;
using System.IO.Hashing;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using OfflineMedia.Diagnostics;
using OfflineMedia.Internal;

namespace OfflineMedia.Cache.Internal;

/// <summary>
/// Streams one media body into its partial file: resumed with <c>Range</c> + <c>If-Range</c> when a
/// partial file and its validators exist, hashed as it is written when there is a digest to verify, refused
/// when it is not the media expected. Memory stays one pooled buffer per download. Writes are unbuffered, so
/// the file handed back is complete in the OS; the cache flushes it to disk after the commit. Every wait on the
/// server has a deadline: the headers and each read within the stall timeout, and the body at a minimum rate.
/// </summary>
internal sealed class MediaDownloader(IHttpClientFactory httpClientFactory, IFileSystem fileSystem, ILogger<MediaDownloader> logger)
{
    /// <summary>The name of the <see cref="HttpClient"/> media is downloaded with.</summary>
    public const string HttpClientName = "OfflineMedia.Media";

    private const int BufferSize = 128 * 1024;
    private const int ProgressStep = 256 * 1024;

    /// <summary>A body over this size (or of unknown size) gets its resume record when its headers arrive.</summary>
    private const long RecordAtOnceBytes = 1024 * 1024;

    public async Task<DownloadResult> DownloadAsync(DownloadRequest request, CancellationToken cancellationToken)
    {
        var saved = request.Partials.Find(request.PartialPath);
        var resumeFrom = request.Conditional is null ? ResumableLength(request.PartialPath, saved) : 0;
        if (resumeFrom == 0 && saved is not null)
        {
            DeletePartial(request); // Without a record, a partial file left is started over anyway: it is created anew.
        }

        var result = await AttemptAsync(request, resumeFrom > 0 ? saved : null, resumeFrom, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            // The server could not continue the partial file (416, or a range that does not fit): start over once.
            DeletePartial(request);
            result = await AttemptAsync(request, null, 0, cancellationToken).ConfigureAwait(false);
        }

        return result ?? throw Fail(request, MediaCacheError.VerificationFailed, "the server answered a request without Range as if it had one");
    }

    /// <summary>Deletes a partial file and, when <paramref name="forget"/>, what is known of it.</summary>
    public void DeletePartial(DownloadRequest request, bool forget = true) => PartialFileWriter.Delete(fileSystem, request, forget);

    /// <returns>The result, or null when the partial file cannot be continued and the download should restart.</returns>
    private async Task<DownloadResult?> AttemptAsync(DownloadRequest request, PartialDownload? partial, long resumeFrom, CancellationToken cancellationToken)
    {
        var response = await SendAsync(request, partial, resumeFrom, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            var finalUrl = response.RequestMessage?.RequestUri ?? request.Url;
            if (!MediaUrl.IsHttp(finalUrl))
            {
                throw Fail(request, MediaCacheError.UnsupportedUrl, $"a redirect led to a {finalUrl.Scheme} URL; only http and https are fetched");
            }

            if (response.StatusCode == HttpStatusCode.NotModified && request.Conditional is not null)
            {
                return new DownloadResult(true, 0, null, null, ETagOf(response), response.Content.Headers.LastModified, finalUrl)
                {
                    Freshness = ResponseFreshness.Of(response),
                };
            }

            if (BodyRange(request, partial, resumeFrom, response, finalUrl) is not { } range)
            {
                return null;
            }

            var (offset, total) = range;

            var contentType = response.Content.Headers.ContentType?.MediaType;
            CheckHeaders(request, contentType, total);
            await request.EnsureRoom((total ?? request.ExpectedBytes ?? 0) - offset, cancellationToken).ConfigureAwait(false);

            var etag = ETagOf(response);
            var lastModified = response.Content.Headers.LastModified;
            var record = offset > 0 ? null : new PartialDownload(IsStrong(etag) ? etag : null, lastModified?.ToString("R"), total, contentType);
            if (record is not null && (partial is not null || !(total <= RecordAtOnceBytes)))
            {
                // Worth resuming from its first bytes, or an earlier attempt's record is replaced. (A 206 continues a
                // partial file whose record, with these validators, is there already.)
                request.Partials.Save(request.PartialPath, record);
                record = null;
            }

            request.Written?.Invoke(); // A stream playing the file learns its length from the record.

            var (bytes, sha256, contentHash) = await ReceiveAsync(request, response, offset, total, record, cancellationToken).ConfigureAwait(false);
            Verify(request, bytes, sha256);

            // What is known of the partial file is forgotten when the cache commits it.
            return new DownloadResult(false, bytes, sha256, contentType, etag, lastModified, finalUrl, contentHash)
            {
                Freshness = ResponseFreshness.Of(response),
            };
        }
    }

    /// <returns>Where the body starts in the file and the whole file's declared length, or null to restart from byte 0.</returns>
    private (long Offset, long? Total)? BodyRange(DownloadRequest request, PartialDownload? partial, long resumeFrom, HttpResponseMessage response, Uri finalUrl)
    {
        switch (response.StatusCode)
        {
            case HttpStatusCode.PartialContent when partial is not null:
                if (ResumeCheck.Mismatch(partial, resumeFrom, response) is { } mismatch)
                {
                    Log.ResumeRestarted(logger, request.Key, mismatch);
                    return null;
                }

                return (resumeFrom, response.Content.Headers.ContentRange!.Length);
            case HttpStatusCode.RequestedRangeNotSatisfiable when partial is not null:
                Log.ResumeRestarted(logger, request.Key, "the server answered 416 Range Not Satisfiable");
                return null;
            case HttpStatusCode.OK:
                // A full body: the server ignored Range or the content changed (If-Range); start clean.
                return (0, response.Content.Headers.ContentLength);
            default:
                throw new MediaCacheException(
                    MediaCacheError.HttpStatus,
                    $"Downloading {request.Key} from {SafeUrl.Redact(finalUrl)} failed: the server answered {(int)response.StatusCode} {response.ReasonPhrase}.")
                {
                    Key = request.Key,
                    StatusCode = response.StatusCode,
                    RetryAfter = RetryAfter(response),
                };
        }
    }

    /// <summary>Refuses, before a byte is written, a body the headers show is not the media expected.</summary>
    private static void CheckHeaders(DownloadRequest request, string? contentType, long? total)
    {
        if (IsTextual(contentType))
        {
            throw Fail(request, MediaCacheError.VerificationFailed, $"the server sent {contentType} where {request.Kind.ToString().ToLowerInvariant()} media was expected");
        }

        if (total > request.MaxBytes)
        {
            throw Fail(request, MediaCacheError.VerificationFailed, $"the body is {total} bytes, over the cap of {request.MaxBytes} for this kind of media");
        }

        if (total is { } declared && request.ExpectedBytes is { } expected && declared != expected)
        {
            throw Fail(request, MediaCacheError.VerificationFailed, $"the server declares {declared} bytes but the catalog gives {expected}");
        }
    }

    /// <summary>Checks the whole body against the catalog's length and digest; a body that differs is deleted.</summary>
    private void Verify(DownloadRequest request, long bytes, string? sha256)
    {
        if (request.ExpectedBytes is { } expectedBytes && bytes != expectedBytes)
        {
            DeletePartial(request);
            throw Fail(request, MediaCacheError.VerificationFailed, $"the body is {bytes} bytes but the catalog gives {expectedBytes}");
        }

        if (request.Sha256 is { } expectedHash && !string.Equals(sha256, expectedHash, StringComparison.OrdinalIgnoreCase))
        {
            DeletePartial(request);
            throw Fail(request, MediaCacheError.VerificationFailed, "the body's SHA-256 differs from the catalog's");
        }
    }

    /// <summary>
    /// Sends the GET and follows redirects itself (the handler's automatic redirects are off), so every hop passes
    /// <see cref="HttpRedirect"/>'s check. The headers, every hop's together, must arrive within the stall timeout.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(DownloadRequest request, PartialDownload? partial, long resumeFrom, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        var url = request.Url;

        // HttpClient.Timeout (100 s unless the app set one) would let a server that never answers hold each try that long.
        using var headers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        headers.CancelAfter(request.StallTimeout);
        for (var hop = 0; ; hop++)
        {
            using var message = CreateMessage(request, partial, resumeFrom, url);
            message.Version = client.DefaultRequestVersion; // As HttpClient.GetAsync does: HTTP/2 when the server offers it.
            message.VersionPolicy = client.DefaultVersionPolicy;
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, headers.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw Fail(request, MediaCacheError.Network, $"the request failed ({ex.HttpRequestError})", ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw Fail(request, MediaCacheError.Network, headers.IsCancellationRequested
                    ? $"the server sent no response headers within {Seconds(request.StallTimeout)} s"
                    : "the server did not answer in time", ex);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or NotSupportedException)
            {
                // A handler the app plugged in that follows redirects itself can throw these on a hostile Location.
                throw Fail(request, MediaCacheError.UnsupportedUrl, $"the request could not be sent ({ex.Message})", ex);
            }

            if (HttpRedirect.LocationOf(response, url) is not { } next)
            {
                return response;
            }

            response.Dispose();
            if (HttpRedirect.Refusal(url, next) is { } refusal)
            {
                throw Fail(request, MediaCacheError.UnsupportedUrl, refusal);
            }

            if (hop + 1 > HttpRedirect.MaxHops)
            {
                throw Fail(request, MediaCacheError.Network, $"the server redirected more than {HttpRedirect.MaxHops} times");
            }

            url = next;
        }
    }

    /// <summary>A GET of <paramref name="url"/>: continuing the partial file, revalidating the cached copy, or plain.</summary>
    private static HttpRequestMessage CreateMessage(DownloadRequest request, PartialDownload? partial, long resumeFrom, Uri url)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, url);
        if (partial is not null)
        {
            message.Headers.Range = new RangeHeaderValue(resumeFrom, null);
            message.Headers.TryAddWithoutValidation("If-Range", partial.ETag ?? partial.LastModified);
        }
        else if (request.Conditional is { } conditional)
        {
            if (conditional.ETag is not null)
            {
                message.Headers.TryAddWithoutValidation("If-None-Match", conditional.ETag);
            }
            else if (conditional.LastModified is { } modified)
            {
                message.Headers.IfModifiedSince = modified;
            }
        }

        return message;
    }

    /// <returns>The bytes in the file; its SHA-256 when the request has one to verify against (hashing every byte costs
    /// about half again the CPU of receiving it, so it is done only when something checks it); and its XxHash128, many
    /// times cheaper, always: an open after a crash checks an unflushed file against it.</returns>
    /// <remarks>
    /// A small body's resume record (<paramref name="record"/>, when not written yet) is written by
    /// <see cref="PartialFileWriter"/> only if the attempt ends early or takes long: a write of the index per file cost
    /// small files more than anything else.
    /// </remarks>
    private async Task<(long Bytes, string? Sha256, string ContentHash)> ReceiveAsync(
        DownloadRequest request, HttpResponseMessage response, long offset, long? total, PartialDownload? record, CancellationToken cancellationToken)
    {
        using var hash = request.Sha256 is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var content = new XxHash128();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var file = PartialFileWriter.Open(fileSystem, request, offset, logger, record);
            await file.SkipWrittenAsync(offset, hash, content, buffer, cancellationToken).ConfigureAwait(false);

            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                long received;
                try
                {
                    received = await ReceiveBodyAsync(request, body, file, hash, content, buffer, offset, total, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    file.RecordForResume(); // Paused (the network went) or given up: the bytes received stay for the next attempt.
                    throw;
                }

                if (total is { } declared && received < declared)
                {
                    await file.EndAttemptAsync(received).ConfigureAwait(false);
                    throw Fail(request, MediaCacheError.Network, $"the body ended after {received} of {declared} bytes; the next attempt resumes");
                }

                // The network part is done: the caller may hand its network capacity on while this file is committed.
                request.BodyReceived?.Invoke();
                request.Progress?.Report(received);
                return (received, hash is null ? null : Hex.Lower(hash.GetHashAndReset()), Hex.Lower(content.GetHashAndReset()));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads the body into the file with one buffer, every read under <see cref="ReceiveDeadline"/>; an attempt cut short
    /// keeps its bytes for the next to resume. One await per read and one per write, nothing allocated per chunk.
    /// </summary>
    /// <returns>The bytes in the file, which may be short of <paramref name="total"/> when the body ended early.</returns>
    private static async ValueTask<long> ReceiveBodyAsync(
        DownloadRequest request, Stream body, PartialFileWriter file, IncrementalHash? hash, XxHash128 content, byte[] buffer, long offset, long? total,
        CancellationToken cancellationToken)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var deadline = new ReceiveDeadline(request.StallTimeout, request.MinimumBytesPerSecond);
        var received = offset;
        var nextReport = received;
        while (true)
        {
            int read;
            try
            {
                // HttpClient.Timeout ends with the headers; a body that stalls or trickles is caught here.
                stall.CancelAfter(deadline.NextRead());
                read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                await file.EndAttemptAsync(received).ConfigureAwait(false);
                throw ReadCut(request, deadline, received, total, ex);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                await file.EndAttemptAsync(received).ConfigureAwait(false);
                throw Fail(request, MediaCacheError.Network, $"the connection dropped after {received} of {Describe(total)} bytes; the next attempt resumes", ex);
            }

            if (read == 0)
            {
                break;
            }

            var fastEnough = deadline.Received(read);
            CheckChunk(request, file, buffer.AsSpan(0, read), received, total);
            received += read;

            // Not cancelable: a chunk that arrived is kept whole, so a cancel (the network going away) never drops
            // bytes already received from the partial file that the next attempt resumes.
            await file.WriteAsync(buffer.AsMemory(0, read), CancellationToken.None).ConfigureAwait(false);
            file.RecordForResumeIfLong();
            request.Written?.Invoke();
            hash?.AppendData(buffer, 0, read);
            content.Append(buffer.AsSpan(0, read));

            if (!fastEnough)
            {
                await file.EndAttemptAsync(received).ConfigureAwait(false);
                throw TooSlow(request, deadline, received, total, null);
            }

            if (received >= nextReport)
            {
                request.Progress?.Report(received);
                nextReport = received + ProgressStep;
            }
        }

        return received;
    }

    /// <summary>Refuses, deleting the partial file, a chunk that shows the body is a web page or longer than it may be.</summary>
    private static void CheckChunk(DownloadRequest request, PartialFileWriter file, ReadOnlySpan<byte> chunk, long receivedBefore, long? total)
    {
        if (receivedBefore == 0 && LooksLikeMarkup(chunk))
        {
            file.DeleteAfterFailure();
            throw Fail(request, MediaCacheError.VerificationFailed, "the server sent a web page where media was expected");
        }

        // Room was made for the declared or catalogued size: a body running past it stops here, not at the cap.
        var received = receivedBefore + chunk.Length;
        if (received > request.MaxBytes || received > total || received > request.ExpectedBytes)
        {
            file.DeleteAfterFailure();
            throw Fail(request, MediaCacheError.VerificationFailed,
                received > total ? $"the body is longer than the {total} bytes declared"
                : received > request.ExpectedBytes ? $"the body is longer than the {request.ExpectedBytes} bytes the catalog gives"
                : $"the body passed the cap of {request.MaxBytes} bytes for this kind of media");
        }
    }

    /// <summary>Why a read was cut at the deadline: the body stalled, or came too slowly over its window.</summary>
    private static MediaCacheException ReadCut(DownloadRequest request, ReceiveDeadline deadline, long received, long? total, Exception inner) => deadline.IsTooSlow
        ? TooSlow(request, deadline, received, total, inner)
        : Fail(request, MediaCacheError.Network, $"the body stalled for {Seconds(request.StallTimeout)} s after {received} of {Describe(total)} bytes; the next attempt resumes", inner);

    private static MediaCacheException TooSlow(DownloadRequest request, ReceiveDeadline deadline, long received, long? total, Exception? inner) =>
        Fail(request, MediaCacheError.Network,
            $"the body came too slowly: {deadline.WindowBytes} bytes in {Seconds(request.StallTimeout)} s, under the minimum of {request.MinimumBytesPerSecond} bytes/s, " +
            $"after {received} of {Describe(total)} bytes; the next attempt resumes", inner);

    /// <summary>The length of a partial file that can be resumed: it has bytes and a validator to check them with.</summary>
    private long ResumableLength(string partialPath, PartialDownload? saved)
    {
        if (saved is null || (saved.ETag is null && saved.LastModified is null))
        {
            return 0;
        }

        var info = fileSystem.FileInfo.New(partialPath);
        return info.Exists && !CachePaths.IsLink(info) && info.Length > 0 && !(info.Length > saved.TotalBytes) ? info.Length : 0;
    }

    internal static MediaCacheException Fail(DownloadRequest request, MediaCacheError error, string reason, Exception? inner = null) =>
        new(error, $"Downloading {request.Key} from {SafeUrl.Redact(request.Url)} failed: {reason}.", inner) { Key = request.Key };

    private static string? ETagOf(HttpResponseMessage response) => response.Headers.ETag?.ToString();

    private static bool IsStrong(string? etag) => etag is not null && !etag.StartsWith("W/", StringComparison.Ordinal);

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        // An HTTP date is the server's wall clock: compared with the real one, not the injected TimeProvider.
        { Date: { } date } => date - DateTimeOffset.UtcNow > TimeSpan.Zero ? date - DateTimeOffset.UtcNow : TimeSpan.Zero,
        _ => null,
    };

    private static bool IsTextual(string? mediaType) =>
        mediaType is not null
        && (mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || mediaType.Contains("json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Contains("xml", StringComparison.OrdinalIgnoreCase) && !mediaType.Contains("svg", StringComparison.OrdinalIgnoreCase));

    /// <summary>An HTML error page served with a media content type still starts like one.</summary>
    private static bool LooksLikeMarkup(ReadOnlySpan<byte> start)
    {
        start = start.TrimStart(" \t\r\n"u8);
        return start.StartsWith("<!doctype html"u8) || start.StartsWith("<!DOCTYPE html"u8) || start.StartsWith("<html"u8) || start.StartsWith("<HTML"u8);
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

    private static string Describe(long? total) => total?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "an unknown number of";
}
