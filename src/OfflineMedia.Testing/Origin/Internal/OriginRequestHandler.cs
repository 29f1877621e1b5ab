using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace OfflineMedia.Testing.Internal;

/// <summary>
/// The origin's single terminal middleware: its own routing (AOT-safe, no endpoint routing), fault
/// injection and request logging. Never lets an exception escape to the server.
/// </summary>
internal sealed partial class OriginRequestHandler
{
    private readonly FakeMediaCatalog _catalog;
    private readonly FakeFaultRegistry _faults;
    private readonly FakeOriginRequestLog _log;
    private readonly TimeProvider _timeProvider;
    private readonly FakeMediaUrlStyle _defaultUrlStyle;
    private readonly UrlSigner _signer;
    private readonly CancellationToken _stopping;
    private string _authority = string.Empty;

    public OriginRequestHandler(
        FakeMediaCatalog catalog,
        FakeMediaOriginOptions options,
        FakeFaultRegistry faults,
        FakeOriginRequestLog log,
        CancellationToken stopping)
    {
        _catalog = catalog;
        _faults = faults;
        _log = log;
        _timeProvider = options.TimeProvider;
        _defaultUrlStyle = options.MediaUrlStyle;
        _signer = new UrlSigner(options.TimeProvider, options.SignedUrlLifetime, options.EnforceSignedUrlExpiry);
        _stopping = stopping;
    }

    /// <summary>Gets or sets the scheme, host and port (no trailing slash), known once the server listens.</summary>
    public string Authority
    {
        get => Volatile.Read(ref _authority);
        set => Volatile.Write(ref _authority, value);
    }

    public string SignedCdnUrl(string mediaPath) => Authority + _signer.Sign(CdnPath(mediaPath));

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var headers = request.Headers;
        var entry = new FakeOriginRequest(
            _timeProvider.GetUtcNow(),
            request.Method,
            request.Path.HasValue ? request.Path.Value : "/",
            request.QueryString.Value ?? string.Empty,
            HeaderOrNull(headers.Range),
            HeaderOrNull(headers.IfRange),
            HeaderOrNull(headers.IfNoneMatch),
            HeaderOrNull(headers.IfModifiedSince));
        _log.Add(entry);

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping);
        var cancellationToken = linked.Token;
        try
        {
            var fault = _faults.Take(entry.NormalizedPath);
            if (fault is not null && fault.Latency > TimeSpan.Zero)
            {
                await Task.Delay(fault.Latency, cancellationToken).ConfigureAwait(false);
            }

            if (fault is null || !await TryAnswerFaultAsync(context, fault, entry, cancellationToken).ConfigureAwait(false))
            {
                await RouteAsync(context, fault, entry, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException || cancellationToken.IsCancellationRequested)
        {
            // The client went away or the origin is stopping: end the exchange quietly.
            entry.MarkAborted();
            context.Abort();
        }
#pragma warning disable CA1031 // A fake server must never fault the test host; a bug shows as a 500 or an abort.
        catch (Exception)
#pragma warning restore CA1031
        {
            if (context.Response.HasStarted)
            {
                entry.MarkAborted();
                context.Abort();
            }
            else
            {
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        }
        finally
        {
            entry.SetStatusCode(context.Response.StatusCode);
            entry.MarkCompleted();
        }
    }

    private static string? HeaderOrNull(Microsoft.Extensions.Primitives.StringValues value) => value.Count == 0 ? null : value.ToString();

    private static string CdnPath(string path)
        => path.StartsWith("/media/", StringComparison.Ordinal) ? "/cdn" + path["/media".Length..] : "/cdn" + path;

    private static string RawPath(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return raw is not null && raw.StartsWith('/') ? raw : context.Request.Path.ToUriComponent();
    }

    private static Task WriteTextAsync(HttpContext context, int statusCode, string text, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/plain; charset=utf-8";
        var bytes = Encoding.UTF8.GetBytes(text);
        response.ContentLength = bytes.Length;
        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(bytes, cancellationToken).AsTask();
    }

    private Task RouteAsync(HttpContext context, FakeFault? fault, FakeOriginRequest entry, CancellationToken cancellationToken)
    {
        var method = context.Request.Method;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            context.Response.Headers.Allow = "GET, HEAD";
            return WriteTextAsync(context, StatusCodes.Status405MethodNotAllowed, "Method not allowed.", cancellationToken);
        }

        switch (OriginPaths.Segments(RawPath(context)))
        {
            case ["api", "exercises", var exerciseId, "media"]:
                return ExerciseMediaAsync(context, exerciseId, fault, entry, cancellationToken);
            case ["api", "workouts", "upcoming"]:
                return UpcomingAsync(context, fault, entry, cancellationToken);
            case ["api", "workouts", var workoutId]:
                return WorkoutAsync(context, workoutId, fault, entry, cancellationToken);
            case ["media", var kind, var exerciseId, var variant, var fileName]:
                return MediaFileAsync(context, kind, exerciseId, variant, fileName, fault, entry, cancellationToken);
            case ["cdn", var kind, var exerciseId, var variant, var fileName]:
                return _signer.IsAccepted(context.Request.Query)
                    ? MediaFileAsync(context, kind, exerciseId, variant, fileName, fault, entry, cancellationToken)
                    : WriteTextAsync(context, StatusCodes.Status403Forbidden, "Missing, invalid or expired signature.", cancellationToken);
            default:
                return WriteTextAsync(context, StatusCodes.Status404NotFound, "Not found.", cancellationToken);
        }
    }

    /// <summary>Answers the replacing faults (status, HTML, redirect); false when the normal answer should follow.</summary>
    private async Task<bool> TryAnswerFaultAsync(HttpContext context, FakeFault fault, FakeOriginRequest entry, CancellationToken cancellationToken)
    {
        var response = context.Response;
        if (fault.StatusCode is { } statusCode)
        {
            if (fault.RetryAfter is { } retryAfter)
            {
                response.Headers.RetryAfter = fault.RetryAfterAsHttpDate
                    ? HeaderUtilities.FormatDate(_timeProvider.GetUtcNow() + retryAfter)
                    : ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            entry.SetStatusCode(statusCode);
            await WriteTextAsync(context, statusCode, $"Fake fault: status {statusCode}.", cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (fault.ServeHtml)
        {
            const string Page =
                "<!DOCTYPE html>\n<html><head><title>Sign in to Wi-Fi</title></head>" +
                "<body><h1>Sign in to continue</h1><p>This network requires you to sign in before you can use the internet.</p></body></html>\n";
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/html; charset=utf-8";
            var body = new BufferResponseBody(Encoding.UTF8.GetBytes(Page));
            await ResponseBodyWriter.WriteAsync(context, body, 0, body.Length, fault, entry, cancellationToken).ConfigureAwait(false);
            return true;
        }

        string? location = null;
        if (fault.RedirectLocation is { } redirect)
        {
            location = redirect.IsAbsoluteUri ? redirect.AbsoluteUri : new Uri(new Uri(Authority + "/"), redirect).AbsoluteUri;
        }
        else if (fault.RedirectToSignedCdn)
        {
            location = Authority + _signer.Sign(CdnPath(RawPath(context).Split('?')[0]));
        }

        if (location is null)
        {
            return false;
        }

        response.StatusCode = fault.RedirectStatusCode;
        response.Headers.Location = location;
        response.ContentLength = 0;
        entry.SetStatusCode(fault.RedirectStatusCode);
        return true;
    }
}
