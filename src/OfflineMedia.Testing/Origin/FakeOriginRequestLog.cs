using OfflineMedia.Testing.Internal;

namespace OfflineMedia.Testing;

/// <summary>
/// The requests a <see cref="FakeMediaOrigin"/> received, in arrival order. Thread-safe. Paths compare as
/// in <see cref="FakeFaultRegistry"/>: query ignored, escapes decoded, absolute URLs by their path.
/// </summary>
public sealed class FakeOriginRequestLog
{
    private readonly object _gate = new();
    private readonly List<FakeOriginRequest> _requests = [];
    private readonly List<(Func<FakeOriginRequest, bool> Predicate, TaskCompletionSource<FakeOriginRequest> Completion)> _waiters = [];

    internal FakeOriginRequestLog()
    {
    }

    /// <summary>Gets a snapshot of every request, in arrival order.</summary>
    public IReadOnlyList<FakeOriginRequest> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Gets the number of requests received.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _requests.Count;
            }
        }
    }

    /// <summary>Gets the requests to a path, in arrival order.</summary>
    /// <param name="path">The path (or a URL: its path counts).</param>
    /// <returns>The matching requests.</returns>
    public IReadOnlyList<FakeOriginRequest> ForPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var normalized = OriginPaths.Normalize(path);
        lock (_gate)
        {
            return [.. _requests.Where(r => string.Equals(r.NormalizedPath, normalized, StringComparison.Ordinal))];
        }
    }

    /// <summary>Gets the requests for a variant's media path.</summary>
    /// <param name="variant">The variant.</param>
    /// <returns>The matching requests.</returns>
    public IReadOnlyList<FakeOriginRequest> ForPath(FakeMediaVariant variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        return ForPath(variant.Path);
    }

    /// <summary>Counts the requests to a path, whatever their method.</summary>
    /// <param name="path">The path (or a URL: its path counts).</param>
    /// <returns>The number of requests.</returns>
    public int CountRequests(string path) => ForPath(path).Count;

    /// <summary>Counts the requests to a path with a method.</summary>
    /// <param name="path">The path (or a URL: its path counts).</param>
    /// <param name="method">The method, such as <c>GET</c> (case-insensitive).</param>
    /// <returns>The number of requests.</returns>
    public int CountRequests(string path, string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return ForPath(path).Count(r => string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Counts the requests for a variant's media path, whatever their method.</summary>
    /// <param name="variant">The variant.</param>
    /// <returns>The number of requests.</returns>
    public int CountRequests(FakeMediaVariant variant) => ForPath(variant).Count;

    /// <summary>Sums the response body bytes sent for a path (useful to check a resume fetched only the missing bytes).</summary>
    /// <param name="path">The path (or a URL: its path counts).</param>
    /// <returns>The body bytes sent.</returns>
    public long BodyBytesSent(string path) => ForPath(path).Sum(r => r.BodyBytesSent);

    /// <summary>
    /// Waits for a request matching <paramref name="predicate"/>; completes at once if one was already
    /// received. The request may still be in progress.
    /// </summary>
    /// <param name="predicate">The condition.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The first matching request.</returns>
    public async Task<FakeOriginRequest> WaitForRequestAsync(Func<FakeOriginRequest, bool> predicate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        cancellationToken.ThrowIfCancellationRequested();
        (Func<FakeOriginRequest, bool> Predicate, TaskCompletionSource<FakeOriginRequest> Completion) waiter;
        lock (_gate)
        {
            var existing = _requests.Find(r => predicate(r));
            if (existing is not null)
            {
                return existing;
            }

            waiter = (predicate, new TaskCompletionSource<FakeOriginRequest>(TaskCreationOptions.RunContinuationsAsynchronously));
            _waiters.Add(waiter);
        }

        using (cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }

            waiter.Completion.TrySetCanceled(cancellationToken);
        }))
        {
            return await waiter.Completion.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Waits for a request to a path; completes at once if one was already received.</summary>
    /// <param name="path">The path (or a URL: its path counts).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The first request to the path.</returns>
    public Task<FakeOriginRequest> WaitForRequestAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var normalized = OriginPaths.Normalize(path);
        return WaitForRequestAsync(r => string.Equals(r.NormalizedPath, normalized, StringComparison.Ordinal), cancellationToken);
    }

    /// <summary>Forgets every request recorded so far.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }

    internal void Add(FakeOriginRequest request)
    {
        List<TaskCompletionSource<FakeOriginRequest>>? ready = null;
        lock (_gate)
        {
            _requests.Add(request);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Predicate(request))
                {
                    (ready ??= []).Add(_waiters[i].Completion);
                    _waiters.RemoveAt(i);
                }
            }
        }

        if (ready is not null)
        {
            foreach (var completion in ready)
            {
                completion.TrySetResult(request);
            }
        }
    }
}
