namespace OfflineMedia.Cache.Internal;

/// <summary>
/// When a read of a media body must end. A read waits at most the stall timeout; and over each window of that length
/// the body must bring the minimum rate's worth of bytes, so a server trickling a byte now and then, never quiet long
/// enough to trip the stall timeout, still ends the attempt. A read is only cut when the attempt fails anyway: a read
/// cancelled mid-body leaves the connection unusable. Measured on the real clock, like the socket timeouts beside it:
/// a test's fake clock does not slow a server down.
/// </summary>
internal sealed class ReceiveDeadline
{
    private readonly TimeSpan _window;
    private readonly long _required;
    private long _windowStart;
    private long _windowBytes;

    /// <param name="window">The stall timeout, also the window the rate is measured over.</param>
    /// <param name="minimumBytesPerSecond">The slowest rate allowed; 0 for none.</param>
    public ReceiveDeadline(TimeSpan window, long minimumBytesPerSecond)
    {
        _window = window;
        _required = (long)(minimumBytesPerSecond * window.TotalSeconds);
        _windowStart = TimeProvider.System.GetTimestamp();
    }

    /// <summary>Gets the bytes received in the current window.</summary>
    public long WindowBytes => _windowBytes;

    /// <summary>
    /// Gets a value indicating whether a read cut at the time <see cref="NextRead"/> gave means the body is too slow (its
    /// window ended short of its bytes) rather than stalled. Told by the window's bytes, not by comparing clocks: a timer
    /// may fire a millisecond before the window's end by the stopwatch.
    /// </summary>
    public bool IsTooSlow { get; private set; }

    /// <summary>Gets how long the next read may wait: the stall timeout, or only to the end of a window still short of its bytes.</summary>
    public TimeSpan NextRead()
    {
        IsTooSlow = _windowBytes < _required;
        if (!IsTooSlow)
        {
            return _window;
        }

        var left = _window - Elapsed;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>Counts <paramref name="bytes"/> just read.</summary>
    /// <returns>False when a window ended short of the minimum.</returns>
    public bool Received(int bytes)
    {
        _windowBytes += bytes;
        if (Elapsed < _window)
        {
            return true;
        }

        if (_windowBytes < _required)
        {
            IsTooSlow = true;
            return false;
        }

        _windowStart = TimeProvider.System.GetTimestamp();
        _windowBytes = 0;
        return true;
    }

    private TimeSpan Elapsed => TimeProvider.System.GetElapsedTime(_windowStart);
}
