using System.Collections.Concurrent;

namespace OfflineMedia.Fleet.Traffic;

/// <summary>
/// Every device's requests, and how many are in flight at once across the fleet: from the moment a device sends one until
/// it has read its body to the end or let it go. On loopback that is what the origin has in flight, give or take a round trip.
/// </summary>
internal sealed class TrafficMeter
{
    private readonly ConcurrentQueue<ClientRequest> _requests = new();
    private int _inFlight;
    private int _peak;

    public int InFlight => Volatile.Read(ref _inFlight);

    public void Started(ClientRequest request)
    {
        _requests.Enqueue(request);
        var now = Interlocked.Increment(ref _inFlight);
        for (var peak = Volatile.Read(ref _peak); now > peak; peak = Volatile.Read(ref _peak))
        {
            if (Interlocked.CompareExchange(ref _peak, now, peak) == peak)
            {
                break;
            }
        }
    }

    public void Ended() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Returns the requests sent since the last call and the most in flight at once since then.</summary>
    public (IReadOnlyList<ClientRequest> Requests, int PeakInFlight) Take()
    {
        var requests = new List<ClientRequest>();
        while (_requests.TryDequeue(out var request))
        {
            requests.Add(request);
        }

        return (requests, Interlocked.Exchange(ref _peak, InFlight));
    }
}
