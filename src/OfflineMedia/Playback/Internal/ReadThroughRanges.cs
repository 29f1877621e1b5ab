using System.Net;
using System.Net.Http.Headers;
using OfflineMedia.Cache;
using OfflineMedia.Internal;

namespace OfflineMedia.Playback.Internal;

/// <summary>
/// Ranged requests for a stream's reads far past the bytes on disk (after a seek): one open request from the position read,
/// continued while reads go on from there, closed when the download catches up or a read jumps elsewhere. What it reads is
/// not written to the cache: the download fills the file in order, and gets there.
/// </summary>
internal sealed class ReadThroughRanges(HttpClient client, Uri url, MediaKey key, TimeSpan headersTimeout) : IDisposable
{
    private HttpResponseMessage? _response;
    private Stream? _body;
    private long _at = -1;

    /// <summary>Reads from <paramref name="position"/> of a file of <paramref name="length"/> bytes whose bytes on disk carry <paramref name="etag"/>.</summary>
    public async ValueTask<int> ReadAsync(long position, long length, string? etag, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            if (_body is null || _at != position)
            {
                Close();
                _body = await OpenAsync(position, length, etag, cancellationToken).ConfigureAwait(false);
                _at = position;
            }

            var read = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"{key}: the server ended the range from byte {position} before the end of the file.");
            }

            _at += read;
            return read;
        }
        catch (HttpRequestException ex)
        {
            Close();
            throw new IOException($"{key}: reading from byte {position} over the network failed ({ex.HttpRequestError}).", ex);
        }
        catch (IOException)
        {
            Close();
            throw;
        }
    }

    /// <summary>Ends the open request, if any.</summary>
    public void Close()
    {
        _body?.Dispose();
        _response?.Dispose();
        (_body, _response, _at) = (null, null, -1);
    }

    public void Dispose() => Close();

    private async Task<Stream> OpenAsync(long position, long length, string? etag, CancellationToken cancellationToken)
    {
        using var headers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        headers.CancelAfter(headersTimeout);
        var hopUrl = url;
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, hopUrl)
            {
                Version = client.DefaultRequestVersion,
                VersionPolicy = client.DefaultVersionPolicy,
            };
            request.Headers.Range = new RangeHeaderValue(position, null);
            if (etag is not null && !etag.StartsWith("W/", StringComparison.Ordinal) && EntityTagHeaderValue.TryParse(etag, out var tag))
            {
                request.Headers.IfRange = new RangeConditionHeaderValue(tag); // Another file at that URL answers 200, not these bytes.
            }

            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IOException($"{key}: the server sent no answer for the range from byte {position} within {headersTimeout.TotalSeconds:0} s.", ex);
            }

            if (HttpRedirect.LocationOf(response, hopUrl) is { } next)
            {
                response.Dispose();
                if (HttpRedirect.Refusal(hopUrl, next) is { } refusal || hop + 1 > HttpRedirect.MaxHops)
                {
                    throw new IOException($"{key}: the range from byte {position} was redirected where it cannot be followed.");
                }

                hopUrl = next;
                continue;
            }

            var range = response.Content.Headers.ContentRange;
            if (response.StatusCode != HttpStatusCode.PartialContent || range?.From != position || range.Length != length)
            {
                var status = (int)response.StatusCode;
                response.Dispose();
                throw new IOException(status == 200
                    ? $"{key} changed on its server while it played (the range from byte {position} was answered with a whole other file); open it again."
                    : $"{key}: the server did not serve the range from byte {position} (it answered {status}).");
            }

            _response = response;
            return await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
