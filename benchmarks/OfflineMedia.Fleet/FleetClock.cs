using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace OfflineMedia.Fleet;

/// <summary>
/// The fake clocks of every device (and of the origin), moved together. Between jumps they run at real speed (a pump
/// moves them every 50 ms), so what waits on a device's clock inside a sync (a retry's backoff, the cache's flush a
/// second after a commit) waits about as long as it would on a phone; <see cref="AdvanceAsync"/> moves them all a whole
/// step at once, as a day passes.
/// </summary>
internal sealed class FleetClock : IAsyncDisposable
{
    private static readonly TimeSpan s_pumpPeriod = TimeSpan.FromMilliseconds(50);

    private readonly object _gate = new();
    private readonly object _advancing = new();
    private readonly List<FakeTimeProvider> _clocks = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private DateTimeOffset _now;

    public FleetClock(DateTimeOffset start)
    {
        _now = start;
        _pump = PumpAsync(_stop.Token);
    }

    /// <summary>Gets the fleet's time: every clock made here reads it (give or take the moment of one pump).</summary>
    public DateTimeOffset Now
    {
        get
        {
            lock (_gate)
            {
                return _now;
            }
        }
    }

    /// <summary>Creates a clock at the fleet's time that moves with the fleet.</summary>
    public FakeTimeProvider CreateClock()
    {
        lock (_gate)
        {
            var clock = new FakeTimeProvider(_now);
            _clocks.Add(clock);
            return clock;
        }
    }

    /// <summary>Moves every clock by <paramref name="step"/> at once; timers due fire on this thread or the pool.</summary>
    public void Advance(TimeSpan step)
    {
        // One move at a time (the pump's or a jump's), so each clock lands on the fleet's time.
        lock (_advancing)
        {
            AdvanceAll(step);
        }
    }

    private void AdvanceAll(TimeSpan step)
    {
        FakeTimeProvider[] clocks;
        DateTimeOffset target;
        lock (_gate)
        {
            _now += step;
            target = _now;
            clocks = [.. _clocks];
        }

        foreach (var clock in clocks)
        {
            // Timers fire inside Advance.
            var behind = target - clock.GetUtcNow();
            if (behind > TimeSpan.Zero)
            {
                clock.Advance(behind);
            }
        }
    }

    /// <summary>Lets <paramref name="step"/> pass for every clock, then yields so the work its timers started can begin.</summary>
    public async Task AdvanceAsync(TimeSpan step)
    {
        Advance(step);
        await Task.Yield();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _pump;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(s_pumpPeriod);
        var last = Stopwatch.GetTimestamp();
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var now = Stopwatch.GetTimestamp();
            Advance(Stopwatch.GetElapsedTime(last, now));
            last = now;
        }
    }
}
