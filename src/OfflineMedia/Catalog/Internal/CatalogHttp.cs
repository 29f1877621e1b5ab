using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using OfflineMedia.Internal;

namespace OfflineMedia.Catalog.Internal;

/// <summary>
/// GETs a JSON document of the server contract with the <c>OfflineMedia.Api</c> client: the size is
/// capped, the whole answer (redirects, headers and body) has one deadline, redirects pass the same check as
/// media's, and statuses, refused redirects and malformed bodies become <see cref="CatalogException"/>s that
/// name the URL (without its query) and, for JSON, the path of the bad value. Answers are kept with their validators and
/// freshness (<see cref="CatalogResponses"/>): a fresh one is not asked for again, a stale one is asked for conditionally,
/// and a 304 costs no body.
/// </summary>
internal sealed class CatalogHttp(
    IHttpClientFactory httpClientFactory, IOptionsMonitor<OfflineMediaOptions> options, CatalogResponses responses, TimeProvider time)
{
    /// <summary>The name of the <see cref="HttpClient"/> the catalog uses.</summary>
    public const string HttpClientName = "OfflineMedia.Api";

    /// <summary>The largest JSON document read; a larger one is refused, not buffered.</summary>
    internal const int MaxDocumentBytes = 8 * 1024 * 1024;

    /// <summary>
    /// Builds the URL of a route, e.g. <c>api/workouts/{workoutId}</c>, with each value escaped as one path segment or
    /// query value. A value of only dots is refused: escaped or not (<c>%2E</c> is a dot to URIs and servers alike), it
    /// would be a dot segment that moves the request to another path (<c>..</c> turns
    /// <c>api/exercises/../media</c> into <c>api/media</c>). No resource of the API can have such an id, so it is
    /// <see cref="CatalogError.NotFound"/> without a request.
    /// </summary>
    public Uri Route(string template, string name, string value)
    {
        var api = options.CurrentValue.ApiBaseAddress
            ?? throw new CatalogException(CatalogError.NotConfigured, "OfflineMediaOptions.ApiBaseAddress is not set, so the catalog has no server to ask.");
        if (value.Length > 0 && value.AsSpan().TrimStart('.').IsEmpty)
        {
            throw new CatalogException(
                CatalogError.NotFound,
                $"The {name} '{value}' cannot be asked for: a value of only dots would name another path of the API, not this one.");
        }

        var root = api.AbsoluteUri.EndsWith('/') ? api : new Uri(api.AbsoluteUri + "/");
        return new Uri(root, template.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal));
    }

    public async Task<T> GetAsync<T>(Uri url, JsonTypeInfo<T> type, string what, CancellationToken cancellationToken)
    {
        // HttpClient.Timeout stops at the headers: a body trickled after them would otherwise never end.
        var timeout = options.CurrentValue.ApiRequestTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await GetCoreAsync(url, type, what, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException
            && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new CatalogException(
                CatalogError.Network,
                $"Getting {what} from {SafeUrl.Redact(url)} timed out: no complete answer within {timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s (ApiRequestTimeout).",
                ex);
        }
    }

    public static CatalogException Invalid(string what, Uri url, string reason, Exception? inner = null) =>
        new(CatalogError.InvalidResponse, $"The answer for {what} from {SafeUrl.Redact(url)} was refused: {reason}.", inner);

    private async Task<T> GetCoreAsync<T>(Uri url, JsonTypeInfo<T> type, string what, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stored = responses.Find(url);
        if (stored?.FreshUntil > now.ToUnixTimeMilliseconds())
        {
            return Parse(stored.Body, type, what, url); // Fresh, as its server said: not asked for again.
        }

        var client = httpClientFactory.CreateClient(HttpClientName);
        using var response = await SendAsync(client, url, what, stored, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotModified && stored is not null)
        {
            responses.Save(url, stored with { FreshUntil = FreshAfterNotModified(response, stored, now), StoredAt = now.ToUnixTimeMilliseconds() });
            return Parse(stored.Body, type, what, url);
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            if (stored is not null)
            {
                responses.Remove(url);
            }

            throw new CatalogException(CatalogError.NotFound, $"{what} does not exist ({SafeUrl.Redact(url)} answered 404).") { StatusCode = response.StatusCode };
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new CatalogException(CatalogError.HttpStatus, $"Getting {what} failed: {SafeUrl.Redact(url)} answered {(int)response.StatusCode} {response.ReasonPhrase}.")
            {
                StatusCode = response.StatusCode,
                RetryAfter = response.Headers.RetryAfter?.Delta,
            };
        }

        if (response.Content.Headers.ContentLength > MaxDocumentBytes)
        {
            throw Invalid(what, url, $"it is {response.Content.Headers.ContentLength} bytes, over the {MaxDocumentBytes} read at most");
        }

        var (buffer, length) = await ReadCappedAsync(response, what, url, cancellationToken).ConfigureAwait(false);
        try
        {
            var body = buffer.AsMemory(0, length);
            var document = Parse(body, type, what, url);
            Keep(url, response, body, now);
            return document;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static T Parse<T>(ReadOnlyMemory<byte> body, JsonTypeInfo<T> type, string what, Uri url)
    {
        try
        {
            return JsonSerializer.Deserialize(body.Span, type) ?? throw Invalid(what, url, "it is null");
        }
        catch (JsonException ex)
        {
            var where = string.IsNullOrEmpty(ex.Path) ? string.Empty : $" at {ex.Path}";
            throw Invalid(what, url, $"it is not valid JSON of the expected shape{where} ({FirstSentence(ex.Message)})", ex);
        }
    }

    /// <summary>
    /// Until when an answer a 304 confirmed is fresh: as the 304's headers say, or, when they say nothing, for as long again
    /// as the stored answer was.
    /// </summary>
    private static long? FreshAfterNotModified(HttpResponseMessage response, StoredResponse stored, DateTimeOffset now)
    {
        var freshness = ResponseFreshness.Of(response);
        return freshness.IsKnown ? freshness.FreshUntil(now)
            : stored.FreshUntil is { } fresh ? now.ToUnixTimeMilliseconds() + (fresh - stored.StoredAt) : null;
    }

    /// <summary>
    /// Keeps a valid answer that can save a later request: one with a validator to ask again conditionally, or a freshness
    /// to not ask at all. <c>no-store</c> is honoured: such an answer is not kept.
    /// </summary>
    private void Keep(Uri url, HttpResponseMessage response, ReadOnlyMemory<byte> body, DateTimeOffset now)
    {
        var etag = response.Headers.ETag?.ToString();
        var lastModified = response.Content.Headers.LastModified?.ToString("R");
        var freshness = ResponseFreshness.Of(response);
        if (response.Headers.CacheControl is { NoStore: true } || (etag is null && lastModified is null && !freshness.IsKnown))
        {
            return;
        }

        responses.Save(url, new StoredResponse(etag, lastModified, freshness.FreshUntil(now), now.ToUnixTimeMilliseconds(), body.ToArray()));
    }

    /// <summary>
    /// Sends the GET and follows redirects itself (the client's automatic redirects are off), so every hop passes
    /// <see cref="HttpRedirect"/>'s check, as media downloads do.
    /// </summary>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Uri url, string what, StoredResponse? stored, CancellationToken cancellationToken)
    {
        var hopUrl = url;
        for (var hop = 0; ; hop++)
        {
            HttpResponseMessage response;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, hopUrl)
                {
                    Version = client.DefaultRequestVersion,
                    VersionPolicy = client.DefaultVersionPolicy,
                };
                if (stored?.ETag is { } etag && EntityTagHeaderValue.TryParse(etag, out var tag))
                {
                    request.Headers.IfNoneMatch.Add(tag);
                }
                else if (stored?.LastModified is { } modified && DateTimeOffset.TryParse(modified, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
                {
                    request.Headers.IfModifiedSince = since;
                }

                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new CatalogException(CatalogError.Network, $"Getting {what} from {SafeUrl.Redact(url)} failed: {ex.HttpRequestError}.", ex);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CatalogException(CatalogError.Network, $"Getting {what} from {SafeUrl.Redact(url)} timed out.", ex);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or NotSupportedException)
            {
                // A handler the app plugged in that follows redirects itself can throw these on a hostile Location.
                throw Invalid(what, url, $"the request could not be sent ({ex.Message})", ex);
            }

            if (HttpRedirect.LocationOf(response, hopUrl) is not { } next)
            {
                return response;
            }

            response.Dispose();
            if (HttpRedirect.Refusal(hopUrl, next) is { } refusal)
            {
                throw Invalid(what, url, refusal);
            }

            if (hop + 1 > HttpRedirect.MaxHops)
            {
                throw new CatalogException(CatalogError.Network, $"Getting {what} from {SafeUrl.Redact(url)} failed: the server redirected more than {HttpRedirect.MaxHops} times.");
            }

            hopUrl = next;
        }
    }

    /// <summary>
    /// Reads the body into a pooled buffer, sized from <c>Content-Length</c> when the server gave one (grown as needed
    /// otherwise, up to <see cref="MaxDocumentBytes"/>): one answer per exercise allocated a chunk and a stream each.
    /// </summary>
    /// <returns>The buffer, which the caller returns to the pool, and the body's length in it.</returns>
    private static async Task<(byte[] Buffer, int Length)> ReadCappedAsync(HttpResponseMessage response, string what, Uri url, CancellationToken cancellationToken)
    {
        // One byte over a declared length reads the end of the body in the same read that fills it.
        var declared = response.Content.Headers.ContentLength;
        var buffer = ArrayPool<byte>.Shared.Rent(declared is { } size ? (int)Math.Min(size + 1, MaxDocumentBytes + 1) : 16 * 1024);
        var length = 0;
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                int read;
                // Never asks for more than one byte past the cap: a body over it is refused having read little more.
                while ((read = await stream.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, MaxDocumentBytes + 1) - length), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    length += read;
                    if (length > MaxDocumentBytes)
                    {
                        throw Invalid(what, url, $"it is over the {MaxDocumentBytes} bytes read at most");
                    }

                    if (length == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxDocumentBytes + 1));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                }
            }

            return (buffer, length);
        }
        catch (Exception ex)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                throw new CatalogException(CatalogError.Network, $"Getting {what} from {SafeUrl.Redact(url)} failed: the connection dropped.", ex);
            }

            throw;
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }
}
