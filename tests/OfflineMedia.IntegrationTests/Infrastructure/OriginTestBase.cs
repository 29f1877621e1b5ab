using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>
/// The set-up most integration tests share: a temp folder (see <see cref="TempFolderTestBase"/>) and a fake media origin
/// on 127.0.0.1 serving the test class's catalog. A class says only what differs: its catalog
/// (<see cref="CreateCatalog"/>) and the origin's options (<see cref="OriginOptions"/>). Each test gets its own origin;
/// after the test the hosts are disposed, then the origin, then the folder.
/// </summary>
public abstract class OriginTestBase : TempFolderTestBase
{
    /// <summary>Gets the origin of this test, started before it.</summary>
    protected FakeMediaOrigin Origin { get; private set; } = null!;

    /// <summary>Gets the options the origin starts with; none by default.</summary>
    protected virtual FakeMediaOriginOptions? OriginOptions => null;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Origin = await FakeMediaOrigin.StartAsync(CreateCatalog(), OriginOptions);
    }

    public override async Task DisposeAsync()
    {
        try
        {
            await DisposeHostsAsync(); // Before the origin, as a test's own `await using` would.
            if (Origin is not null)
            {
                await Origin.DisposeAsync();
            }
        }
        finally
        {
            await base.DisposeAsync();
        }
    }

    /// <summary>Makes the catalog the origin serves, once per test; a week of workouts from now by default.</summary>
    protected virtual FakeMediaCatalog CreateCatalog() => FakeMediaCatalog.CreateWeek(DateTimeOffset.UtcNow);
}
