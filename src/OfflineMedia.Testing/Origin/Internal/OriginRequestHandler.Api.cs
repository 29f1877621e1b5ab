using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace OfflineMedia.Testing.Internal;

/// <summary>The JSON API: exercise media, one workout, upcoming workouts.</summary>
internal sealed partial class OriginRequestHandler
{
    private const int DefaultUpcomingDays = 7;

    /// <summary>
    /// Writes an answer with a strong ETag of its bytes, as an API behind a typical framework or CDN sends one: a request
    /// that names it in <c>If-None-Match</c> gets a 304 and no body.
    /// </summary>
    private static Task WriteJsonAsync(HttpContext context, byte[] json, FakeFault? fault, FakeOriginRequest entry, CancellationToken cancellationToken)
    {
        var etag = new EntityTagHeaderValue("\"" + Convert.ToHexString(SHA256.HashData(json), 0, 8).ToLowerInvariant() + "\"");
        context.Response.GetTypedHeaders().ETag = etag;
        if (context.Request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Compare(etag, useStrongComparison: false) || tag.Equals(EntityTagHeaderValue.Any)))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            entry.SetStatusCode(StatusCodes.Status304NotModified);
            return Task.CompletedTask;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        return ResponseBodyWriter.WriteAsync(context, new BufferResponseBody(json), 0, json.Length, fault, entry, cancellationToken);
    }

    private Task ExerciseMediaAsync(HttpContext context, string exerciseId, FakeFault? fault, FakeOriginRequest entry, CancellationToken cancellationToken)
    {
        if (!_catalog.TryGetExercise(exerciseId, out var exercise))
        {
            return WriteTextAsync(context, StatusCodes.Status404NotFound, "Unknown exercise.", cancellationToken);
        }

        return WriteJsonAsync(context, OriginJson.ExerciseMedia(exercise, UrlOf), fault, entry, cancellationToken);
    }

    private Task WorkoutAsync(HttpContext context, string workoutId, FakeFault? fault, FakeOriginRequest entry, CancellationToken cancellationToken)
    {
        if (!_catalog.TryGetWorkout(workoutId, out var workout))
        {
            return WriteTextAsync(context, StatusCodes.Status404NotFound, "Unknown workout.", cancellationToken);
        }

        return WriteJsonAsync(context, OriginJson.Workout(workout, _catalog), fault, entry, cancellationToken);
    }

    private Task UpcomingAsync(HttpContext context, FakeFault? fault, FakeOriginRequest entry, CancellationToken cancellationToken)
    {
        var days = DefaultUpcomingDays;
        var value = context.Request.Query["days"];
        if (value.Count > 0 && (!int.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out days) || days > 3650))
        {
            return WriteTextAsync(context, StatusCodes.Status400BadRequest, "'days' must be a whole number of days from 0 to 3650.", cancellationToken);
        }

        var workouts = _catalog.GetUpcomingWorkouts(_timeProvider.GetUtcNow(), TimeSpan.FromDays(days));
        return WriteJsonAsync(context, OriginJson.Workouts(workouts, _catalog), fault, entry, cancellationToken);
    }

    private string UrlOf(FakeMediaVariant variant) => (variant.UrlStyle ?? _defaultUrlStyle) switch
    {
        FakeMediaUrlStyle.Absolute => Authority + variant.Path,
        FakeMediaUrlStyle.SignedCdn => SignedCdnUrl(variant.Path),
        _ => variant.Path,
    };
}
