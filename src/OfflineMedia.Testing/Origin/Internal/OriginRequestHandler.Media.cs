using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Headers;
using Microsoft.Net.Http.Headers;

namespace OfflineMedia.Testing.Internal;

/// <summary>Media files: validators, conditional GET and byte ranges.</summary>
internal sealed partial class OriginRequestHandler
{
    private Task MediaFileAsync(
        HttpContext context,
        string kindSegment,
        string exerciseId,
        string variantName,
        string fileName,
        FakeFault? fault,
        FakeOriginRequest entry,
        CancellationToken cancellationToken)
    {
        if (!OriginPaths.TryParseKind(kindSegment, out var kind)
            || !_catalog.TryGetExercise(exerciseId, out var exercise)
            || !exercise.TryGetVariant(kind, variantName, out var variant)
            || !string.Equals(variant.FileName, fileName, StringComparison.Ordinal))
        {
            return WriteTextAsync(context, StatusCodes.Status404NotFound, "Unknown media.", cancellationToken);
        }

        // One snapshot per request: a concurrent ChangeContent never mixes versions.
        var content = variant.Current;
        var etag = new EntityTagHeaderValue(content.ETag);
        var request = context.Request.GetTypedHeaders();
        var response = context.Response;
        var responseHeaders = response.GetTypedHeaders();
        response.ContentType = variant.ContentType;
        responseHeaders.ETag = etag;
        responseHeaders.LastModified = content.LastModified;
        response.Headers.AcceptRanges = "bytes";

        if (IsNotModified(request, content, etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            response.ContentType = null;
            return Task.CompletedTask;
        }

        var length = content.Length;
        var body = new GeneratedResponseBody(content);
        if (request.Range is { } range
            && string.Equals(range.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase)
            && range.Ranges.Count == 1
            && IfRangeHolds(context, request, content, etag))
        {
            if (!TryResolveRange(range.Ranges.First(), length, out var start, out var end))
            {
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                responseHeaders.ContentRange = new ContentRangeHeaderValue(length);
                response.ContentType = null;
                response.ContentLength = 0;
                return Task.CompletedTask;
            }

            response.StatusCode = StatusCodes.Status206PartialContent;
            responseHeaders.ContentRange = new ContentRangeHeaderValue(start, end, length);
            return ResponseBodyWriter.WriteAsync(context, body, start, end - start + 1, fault, entry, cancellationToken);
        }

        response.StatusCode = StatusCodes.Status200OK;
        return ResponseBodyWriter.WriteAsync(context, body, 0, length, fault, entry, cancellationToken);
    }

    private static bool IsNotModified(RequestHeaders request, ContentVersion content, EntityTagHeaderValue etag)
    {
        var ifNoneMatch = request.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            // Weak comparison, as RFC 9110 requires for If-None-Match.
            return ifNoneMatch.Any(tag => tag.Tag == "*" || tag.Compare(etag, useStrongComparison: false));
        }

        return request.IfModifiedSince is { } since && content.LastModified <= since;
    }

    private static bool IfRangeHolds(HttpContext context, RequestHeaders request, ContentVersion content, EntityTagHeaderValue etag)
    {
        if (context.Request.Headers.IfRange.Count == 0)
        {
            return true;
        }

        // An unparsable If-Range, a weak tag or another validator: send the whole, current representation.
        return request.IfRange switch
        {
            { EntityTag: { } tag } => tag.Compare(etag, useStrongComparison: true),
            { LastModified: { } date } => date == content.LastModified,
            _ => false,
        };
    }

    private static bool TryResolveRange(RangeItemHeaderValue item, long length, out long start, out long end)
    {
        start = 0;
        end = 0;
        if (item.From is { } from)
        {
            if (from >= length)
            {
                return false;
            }

            start = from;
            end = item.To is { } to ? Math.Min(to, length - 1) : length - 1;
            return true;
        }

        if (item.To is { } suffix && suffix > 0 && length > 0)
        {
            start = Math.Max(0, length - suffix);
            end = length - 1;
            return true;
        }

        return false;
    }
}
