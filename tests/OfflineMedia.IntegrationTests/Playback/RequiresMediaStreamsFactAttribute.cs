using OfflineMedia.Playback;

namespace OfflineMedia.IntegrationTests.Playback;

/// <summary>
/// A test of the SDK's own read-through streams (through the sample's <c>--play</c>): skipped, saying why, while the
/// package has no <see cref="IMediaStreams"/> implementation; it runs as soon as one is there.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresMediaStreamsFactAttribute : FactAttribute
{
    public RequiresMediaStreamsFactAttribute()
    {
        var implemented = typeof(IMediaStreams).Assembly.GetTypes().Any(t => t is { IsAbstract: false, IsInterface: false } && typeof(IMediaStreams).IsAssignableFrom(t));
        if (!implemented)
        {
            Skip = "Waits for the SDK's IMediaStreams implementation.";
        }
    }
}
