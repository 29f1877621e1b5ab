namespace OfflineMedia.Sync.Internal;

/// <summary>
/// This device's random offsets for the in-process loop, so a fleet of devices spreads its scheduled syncs over a
/// window instead of reaching the server in the same second. One per host, with its own <see cref="Random"/> (a test
/// passes a seeded one).
/// </summary>
internal sealed class SyncJitter(Random random)
{
    private readonly object _gate = new();

    /// <summary>A random offset from zero up to (not including) <paramref name="window"/>; zero when the window is.</summary>
    public TimeSpan Within(TimeSpan window) =>
        window <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks((long)(Next() * window.Ticks));

    /// <summary><paramref name="interval"/> scaled by a random 90–110%, so ticks of devices that started together drift apart.</summary>
    public TimeSpan Around(TimeSpan interval) => interval * (0.9 + (Next() * 0.2));

    private double Next()
    {
        lock (_gate)
        {
            return random.NextDouble();
        }
    }
}
