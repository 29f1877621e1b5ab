using OfflineMedia.Testing.Internal;

namespace OfflineMedia.Testing;

/// <summary>
/// The faults of a running <see cref="FakeMediaOrigin"/>, by request path. Thread-safe: set and clear
/// faults at any time while the origin serves; a request picks its fault when it arrives.
/// </summary>
/// <remarks>
/// A path is origin-relative (<c>/media/images/squat/small/small.jpg</c>, <c>/api/exercises/squat/media</c>);
/// a query string is ignored and escapes are decoded before comparing, and an absolute URL counts by its
/// path. A path ending in <c>*</c> matches every path that starts with the rest (<c>/media/*</c>); an exact
/// path wins over a prefix, and a longer prefix over a shorter one.
/// </remarks>
public sealed class FakeFaultRegistry
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Registration> _exact = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, Registration>> _prefixes = [];

    internal FakeFaultRegistry()
    {
    }

    /// <summary>Sets the fault of a path (or prefix), replacing any fault it had and restarting its <see cref="FakeFault.Times"/> count.</summary>
    /// <param name="path">The path, or a prefix ending in <c>*</c>.</param>
    /// <param name="fault">The fault.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value of <paramref name="fault"/> is out of range.</exception>
    public void Set(string path, FakeFault fault)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(fault);
        fault.Validate();
        var registration = new Registration(fault);
        lock (_gate)
        {
            if (TryPrefix(path, out var prefix))
            {
                _prefixes.RemoveAll(p => string.Equals(p.Key, prefix, StringComparison.Ordinal));
                _prefixes.Add(new(prefix, registration));
                _prefixes.Sort((a, b) => b.Key.Length.CompareTo(a.Key.Length));
            }
            else
            {
                _exact[OriginPaths.Normalize(path)] = registration;
            }
        }
    }

    /// <summary>Sets the fault of a variant's media path.</summary>
    /// <param name="variant">The variant.</param>
    /// <param name="fault">The fault.</param>
    public void Set(FakeMediaVariant variant, FakeFault fault)
    {
        ArgumentNullException.ThrowIfNull(variant);
        Set(variant.Path, fault);
    }

    /// <summary>Removes the fault of a path (or prefix ending in <c>*</c>).</summary>
    /// <param name="path">The path or prefix, as given to <see cref="Set(string, FakeFault)"/>.</param>
    /// <returns><see langword="true"/> when a fault was removed.</returns>
    public bool Clear(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        lock (_gate)
        {
            return TryPrefix(path, out var prefix)
                ? _prefixes.RemoveAll(p => string.Equals(p.Key, prefix, StringComparison.Ordinal)) > 0
                : _exact.Remove(OriginPaths.Normalize(path));
        }
    }

    /// <summary>Removes the fault of a variant's media path.</summary>
    /// <param name="variant">The variant.</param>
    /// <returns><see langword="true"/> when a fault was removed.</returns>
    public bool Clear(FakeMediaVariant variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        return Clear(variant.Path);
    }

    /// <summary>Removes every fault.</summary>
    public void ClearAll()
    {
        lock (_gate)
        {
            _exact.Clear();
            _prefixes.Clear();
        }
    }

    /// <summary>Finds the fault for a request path and spends one of its <see cref="FakeFault.Times"/>.</summary>
    /// <returns>The fault to apply, or <see langword="null"/> when the path is healthy.</returns>
    internal FakeFault? Take(string normalizedPath)
    {
        Registration? registration;
        lock (_gate)
        {
            if (!_exact.TryGetValue(normalizedPath, out registration))
            {
                registration = _prefixes.Find(p => normalizedPath.StartsWith(p.Key, StringComparison.Ordinal)).Value;
            }
        }

        return registration is not null && registration.TryConsume() ? registration.Fault : null;
    }

    private static bool TryPrefix(string path, out string prefix)
    {
        if (path.EndsWith('*'))
        {
            prefix = OriginPaths.Normalize(path[..^1]);
            return true;
        }

        prefix = string.Empty;
        return false;
    }

    private sealed class Registration(FakeFault fault)
    {
        private int _remaining = fault.Times ?? -1;

        public FakeFault Fault { get; } = fault;

        public bool TryConsume()
        {
            if (Fault.Times is null)
            {
                return true;
            }

            while (true)
            {
                var remaining = Volatile.Read(ref _remaining);
                if (remaining <= 0)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref _remaining, remaining - 1, remaining) == remaining)
                {
                    return true;
                }
            }
        }
    }
}
