using OfflineMedia.Cache;
using OfflineMedia.Sync;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>Helpers to set up sync scenarios on the fake origin and read what the sync asked of it.</summary>
internal static class SyncOrigin
{
    /// <summary>Adds an exercise with the variants a phone with ample storage takes (medium, 720p, poster) and a few it does not.</summary>
    public static FakeMediaCatalog AddPhoneExercise(
        this FakeMediaCatalog catalog, string id, long image = 4_000, long video = 40_000, long poster = 2_000, FakeVariantForm form = FakeVariantForm.Rich) =>
        catalog.AddExercise(id, id, e => e
            .AddImage("thumbnail", 500, form)
            .AddImage("medium", image, form)
            .AddImage("large", image * 3, form)
            .AddVideo("720p", video, form)
            .AddVideo("1080p", video * 2, form)
            .AddVideo("poster", poster, form));

    /// <summary>The keys a phone with ample storage syncs for the exercises: medium image, 720p video, poster.</summary>
    public static HashSet<MediaKey> PhoneKeys(params string[] exerciseIds) =>
    [
        .. exerciseIds.SelectMany(id => new[]
        {
            new MediaKey(id, MediaKind.Image, MediaVariantNames.Medium),
            new MediaKey(id, MediaKind.Video, MediaVariantNames.Video720p),
            new MediaKey(id, MediaKind.Image, MediaVariantNames.Poster),
        }),
    ];

    /// <summary>The origin's variant behind a cache key (a poster is listed with the videos).</summary>
    public static FakeMediaVariant VariantOf(this FakeMediaCatalog catalog, MediaKey key) =>
        catalog.GetVariant(key.ExerciseId, key.Kind == MediaKind.Video || key.Variant == MediaVariantNames.Poster ? FakeMediaKind.Video : FakeMediaKind.Image, key.Variant);

    /// <summary>The requests for media files (not the JSON API), in arrival order.</summary>
    public static IReadOnlyList<FakeOriginRequest> MediaRequests(this FakeOriginRequestLog log) =>
        [.. log.All.Where(r => r.Path.StartsWith("/media/", StringComparison.Ordinal))];

    /// <summary>Waits until the origin has finished every request it received (body byte counts are final then).</summary>
    public static Task WaitIdleAsync(this FakeOriginRequestLog log) =>
        CacheFolder.WaitUntilAsync(() => log.All.All(r => r.IsCompleted), "the origin finished every request");

    /// <summary>Waits until no partial file under <c>tmp/</c> is held open by a download that is winding down.</summary>
    public static Task WaitForReleasedPartialsAsync(string root) =>
        CacheFolder.WaitUntilAsync(
            () => CacheFolder.PartialFiles(root).All(IsReleased),
            "every partial file is released");

    public static SyncItemResult Item(this SyncReport report, MediaKey key) => Assert.Single(report.Items, i => i.Key == key);

    private static bool IsReleased(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return true;
        }
        catch (FileNotFoundException)
        {
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
