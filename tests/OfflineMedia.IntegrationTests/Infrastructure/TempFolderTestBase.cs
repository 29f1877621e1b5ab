using System.IO.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OfflineMedia.Sync;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>
/// The set-up integration tests share: a temp folder with the cache folder <see cref="Root"/> inside it, and the hosts a
/// test makes on it. xUnit makes a new instance for every test, so each test has its own folder; after the test the
/// hosts made here are disposed (latest first), then the folder is deleted.
/// </summary>
public abstract class TempFolderTestBase : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _hosts = [];

    /// <summary>Gets the temp folder of this test, deleted after it.</summary>
    protected TempDirectory Temp { get; } = new();

    /// <summary>Gets the cache folder, inside the temp folder (created by the cache when it opens).</summary>
    protected virtual string Root => Path.Combine(Temp.Path, "cache");

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        try
        {
            await DisposeHostsAsync();
        }
        finally
        {
            Temp.Dispose();
        }
    }

    /// <summary>Makes a cache host on <see cref="Root"/>, disposed after the test if the test has not (disposing twice is harmless).</summary>
    protected CacheHost NewCacheHost(
        Uri? apiBaseAddress,
        Action<OfflineMediaOptions>? configure = null,
        IFileSystem? fileSystem = null,
        FakeStorageProbe? storage = null,
        FakeTimeProvider? time = null) =>
        Own(new CacheHost(Root, apiBaseAddress, configure, fileSystem, storage, time));

    /// <summary>Makes a sync host on <see cref="Root"/>, disposed after the test if the test has not (disposing twice is harmless).</summary>
    protected SyncHost NewSyncHost(
        Uri? apiBaseAddress,
        Action<OfflineMediaOptions>? configure = null,
        TimeProvider? time = null,
        FakeConnectivityProbe? network = null,
        FakeStorageProbe? storage = null,
        FakeDisplayProbe? display = null,
        IDataUsageConsent? consent = null) =>
        Own(new SyncHost(Root, apiBaseAddress, configure, time, network, storage, display, consent));

    private T Own<T>(T host)
        where T : IAsyncDisposable
    {
        lock (_hosts)
        {
            _hosts.Add(host);
        }

        return host;
    }

    /// <summary>Disposes the hosts made here that are still open, latest first.</summary>
    protected async Task DisposeHostsAsync()
    {
        IAsyncDisposable[] hosts;
        lock (_hosts)
        {
            hosts = [.. _hosts];
            _hosts.Clear();
        }

        for (var i = hosts.Length - 1; i >= 0; i--)
        {
            await hosts[i].DisposeAsync();
        }
    }
}
