using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace OfflineMedia.Testing.Internal;

/// <summary>The JSON API: exercise media, one workout, upcoming workouts.</summary>
internal sealed partial class OriginRequestHandler
{
    private const int DefaultUpcomingDays = 7;

    private static Task WriteJsonAsync(HttpContext context, byte[] json, FakeFault? fault, FakeOriginRequest entry, CancellationToken cancellationToken)
    {
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
