using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using OfflineMedia.Sync;
using OfflineMedia.Sync.Internal;
using OfflineMedia.Testing;

namespace OfflineMedia.Tests.Sync;

/// <summary>
/// The in-process loop of many devices on one fake clock: started together, their scheduled syncs spread over the
/// jitter window instead of all reaching the server at once.
/// </summary>
public sealed class BackgroundSyncServiceTests
{
    private const int Hosts = 400;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 6, 0, 0, TimeSpan.Zero));
    private readonly FakeConnectivityProbe _network = new(FakeConnectivityProbe.WiFi);

    [Fact]
    public async Task RunAsync_ManyHostsStartedTogether_FirstScheduledSyncsSpreadEvenlyAcrossTheWindow()
    {
        var options = Options(new OfflineMediaOptions { BackgroundSyncInterval = TimeSpan.FromHours(1), BackgroundSyncJitter = TimeSpan.FromMinutes(10) });
        await using var fleet = new Fleet(this, options);

        var atStart = await fleet.SyncedAsync();
        var perMinute = new int[12];
        for (var minute = 0; minute < perMinute.Length; minute++)
        {
            var before = await fleet.SyncedAsync();
            _time.Advance(TimeSpan.FromMinutes(1));
            perMinute[minute] = await fleet.SyncedAsync() - before;
        }

        var counts = string.Join(", ", perMinute);
        Console.WriteLine($"first syncs per minute: {counts}");
        Assert.Equal(0, atStart); // Not one device syncs the moment it starts.
        Assert.Equal(Hosts, perMinute.Sum());

        // Flat: each minute of the window takes about a tenth (40 ± 20); nothing past the window.
        Assert.All(perMinute[..10], count => Assert.InRange(count, Hosts / 20, Hosts * 3 / 20));
        Assert.Equal(0, perMinute[10] + perMinute[11]);
        Assert.True(perMinute.Max() <= Hosts * 3 / 20, $"a spike: {counts}");
    }

    [Fact]
    public async Task RunAsync_WindowLongerThanTheInterval_SpreadsWithinOneInterval()
    {
        var options = Options(new OfflineMediaOptions { BackgroundSyncInterval = TimeSpan.FromMinutes(5), BackgroundSyncJitter = TimeSpan.FromHours(1) });
        await using var fleet = new Fleet(this, options, hosts: 50);

        _time.Advance(TimeSpan.FromMinutes(5));
        await fleet.SyncedAsync();

        Assert.Equal(50, fleet.HostsSynced); // Every device's first sync within one interval, not an hour later.
    }

    [Fact]
    public async Task RunAsync_NetworkComesBackForTheWholeFleet_EachWaitsItsOwnOffsetWithinTheWindow()
    {
        var options = Options(new OfflineMediaOptions { BackgroundSyncInterval = TimeSpan.FromHours(1), BackgroundSyncJitter = TimeSpan.FromMinutes(10) });
        await using var fleet = new Fleet(this, options);
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(Hosts, await fleet.SyncedAsync());

        var timersEnded = fleet.TimersEnded; // Before the wake: the loops resume on the pool at once.
        _network.Set(FakeConnectivityProbe.Offline);
        _network.Set(FakeConnectivityProbe.WiFi);
        await fleet.WaitForWakesAsync(timersEnded);
        var atOnce = await fleet.SyncedAsync() - Hosts;
        _time.Advance(TimeSpan.FromMinutes(1));
        var firstMinute = await fleet.SyncedAsync() - Hosts;
        _time.Advance(TimeSpan.FromMinutes(9));

        Assert.Equal(0, atOnce);
        Assert.InRange(firstMinute, Hosts / 20, Hosts * 3 / 20);
        Assert.Equal(2 * Hosts, await fleet.SyncedAsync());
    }

    private static IOptionsMonitor<OfflineMediaOptions> Options(OfflineMediaOptions options)
    {
        var monitor = Substitute.For<IOptionsMonitor<OfflineMediaOptions>>();
        monitor.CurrentValue.Returns(options);
        return monitor;
    }

    /// <summary>
    /// Many hosts' loops on one clock, each with its own seeded offsets; counts the scheduled syncs they ran. A loop
    /// resumes on the pool after its timer fires: reads wait until each loop waits on a timer again.
    /// </summary>
    private sealed class Fleet : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _loops = [];
        private readonly CountingTime _time;
        private readonly int _hosts;
        private int _synced;
        private int _hostsSynced;

        public Fleet(BackgroundSyncServiceTests test, IOptionsMonitor<OfflineMediaOptions> options, int hosts = Hosts)
        {
            _time = new CountingTime(test._time);
            _hosts = hosts;
            var seeds = new Random(14); // Deterministic: the same offsets every run.
            for (var host = 0; host < hosts; host++)
            {
                var scheduler = Substitute.For<ISyncScheduler>();
                var first = 1;
                scheduler.RunScheduledAsync(Arg.Any<CancellationToken>()).Returns(_ =>
                {
                    Interlocked.Increment(ref _synced);
                    Interlocked.Add(ref _hostsSynced, Interlocked.Exchange(ref first, 0));
                    return Task.FromResult<SyncReport?>(null);
                });
                var service = new BackgroundSyncService(
                    scheduler, test._network, options, new SyncJitter(new Random(seeds.Next())), _time, NullLogger<BackgroundSyncService>.Instance);
                _loops.Add(service.RunAsync(_stop.Token));
            }
        }

        /// <summary>Gets how many hosts ran a scheduled sync; read after <see cref="SyncedAsync"/>.</summary>
        public int HostsSynced => Volatile.Read(ref _hostsSynced);

        /// <summary>The scheduled syncs run so far, once every loop waits on a timer (the clock moves only when the test moves it).</summary>
        public async Task<int> SyncedAsync()
        {
            await WaitUntilAsync(() => _time.Live == _hosts, "every loop waits on a timer");
            return Volatile.Read(ref _synced);
        }

        /// <summary>Gets how many timers ended so far (fired or disposed).</summary>
        public int TimersEnded => _time.Ended;

        /// <summary>Waits until the network woke every loop (its interval's timer ended since <paramref name="ended"/>) and each waits on its offset's timer.</summary>
        public async Task WaitForWakesAsync(int ended)
        {
            await WaitUntilAsync(() => _time.Ended - ended >= _hosts && _time.Live == _hosts, "every loop woke", () => $"ended {_time.Ended - ended}, live {_time.Live}, synced {Volatile.Read(ref _synced)}");
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(10));
            _stop.Dispose();
        }

        private static async Task WaitUntilAsync(Func<bool> condition, string what, Func<string>? state = null)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (!condition())
            {
                Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what} ({state?.Invoke()})");
                await Task.Delay(5);
            }
        }
    }

    /// <summary>The fake clock, counting its timers: set, and ended (fired or disposed).</summary>
    private sealed class CountingTime(FakeTimeProvider inner) : TimeProvider
    {
        private int _created;
        private int _ended;

        public int Live => Volatile.Read(ref _created) - Volatile.Read(ref _ended);

        public int Ended => Volatile.Read(ref _ended);

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new CountedTimer(this);
            Interlocked.Increment(ref _created);
            timer.Inner = inner.CreateTimer(
                s =>
                {
                    timer.End();
                    callback(s);
                },
                state,
                dueTime,
                period);
            return timer;
        }

        private sealed class CountedTimer(CountingTime owner) : ITimer
        {
            private int _ended;

            public ITimer Inner { get; set; } = null!;

            public void End()
            {
                if (Interlocked.Exchange(ref _ended, 1) == 0)
                {
                    Interlocked.Increment(ref owner._ended);
                }
            }

            public bool Change(TimeSpan dueTime, TimeSpan period) => Inner.Change(dueTime, period);

            public void Dispose()
            {
                End();
                Inner.Dispose();
            }

            public ValueTask DisposeAsync()
            {
                End();
                return Inner.DisposeAsync();
            }
        }
    }
}
