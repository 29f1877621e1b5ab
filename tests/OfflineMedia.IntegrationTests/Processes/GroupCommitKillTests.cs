using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Testing;
using OfflineMedia.Variants;
using Xunit.Abstractions;

namespace OfflineMedia.IntegrationTests.Processes;

/// <summary>
/// Files that finish together are moved into place and indexed in one transaction. An app killed between those moves and
/// the transaction's commit leaves files without rows: the next open removes them, keeps every file reported cached
/// before, and downloads the rest.
/// </summary>
[Collection(ProcessTestGroup.Name)]
public sealed class GroupCommitKillTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Cache => Path.Combine(_temp.Path, "cache");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Download_KilledBetweenTheMovesAndTheRowsOfAGroup_ReopensConsistentKeepingWhatWasCached()
    {
        var catalog = new FakeMediaCatalog();
        for (var i = 1; i <= 8; i++)
        {
            catalog.AddExercise($"exercise-{i}", $"Exercise {i}", e => e.AddImage("medium", 20 * 1024 + i));
        }

        await using var origin = await FakeMediaOrigin.StartAsync(catalog);
        var variants = catalog.AllVariants.ToList();
        string[] items = [.. variants.Select(v => $"{v.ExerciseId}/image/{v.Name}|{v.Path}|{v.SizeBytes}")];

        // The child downloads all eight at once and kills itself right after the second move of a group commit.
        await using (var child = ChildProcess.StartTestHost(
            new Dictionary<string, string> { ["OFFLINEMEDIA_KILL_IN_GROUP"] = "1" }, ["download", "--cache", Cache, "--api", origin.BaseAddress.ToString(), .. items]))
        {
            var exit = await child.WaitForExitAsync();
            output.WriteLine(child.Describe());
            var lines = child.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(exit != 0 && !lines.Contains("done"), $"The downloads ended before two files were moved in one transaction.\n{child.Describe()}");
            var killed = Assert.Single(lines, l => l.StartsWith("killed ", StringComparison.Ordinal)).Split(' ')[1..];
            var cachedBefore = lines.Where(l => l.StartsWith("cached ", StringComparison.Ordinal)).Select(l => l["cached ".Length..]).ToList();

            // Both files of the group are in place, and neither has a row: the transaction never committed.
            Assert.All(killed, path => Assert.True(File.Exists(Path.Combine(Cache, path)), $"{path} was not moved before the kill."));
            Assert.All(killed, path => Assert.DoesNotContain(path, CacheFolder.CommittedFiles(Cache)));

            await using var host = new CacheHost(Cache, origin.BaseAddress);
            var rows = new List<string>();
            foreach (var variant in variants)
            {
                if (await host.Cache.TryGetAsync(Key(variant)) is { } cached)
                {
                    Assert.Equal(variant.Sha256, CacheFolder.Sha256(cached.LocalPath));
                    rows.Add(cached.LocalPath);
                }
                else
                {
                    Assert.DoesNotContain($"{variant.ExerciseId}/Image/{variant.Name}", cachedBefore); // Reported cached, then lost.
                }
            }

            // The open after the kill removed the files without rows: the media folder holds the cached files, no more.
            Assert.Equal(rows.Order(StringComparer.Ordinal), CacheFolder.MediaFiles(Cache));
            Assert.All(killed, path => Assert.False(File.Exists(Path.Combine(Cache, path)), $"{path} has no row and was kept."));
            Assert.Empty(CacheFolder.TempFiles(Cache));

            // The rest downloads, each file whole.
            foreach (var variant in variants)
            {
                var media = await host.Cache.GetOrDownloadAsync(Key(variant), new MediaSource(variant.Path, variant.SizeBytes));
                Assert.Equal(variant.Sha256, CacheFolder.Sha256(media.LocalPath));
            }
        }
    }

    private static MediaKey Key(FakeMediaVariant variant) => new(variant.ExerciseId, MediaKind.Image, variant.Name);
}
