using Microsoft.Extensions.DependencyInjection;
using OfflineMedia;
using OfflineMedia.Profiles;
using OfflineMedia.Testing;
using OfflineMedia.Variants;

// For now the sample shows what a phone, a tablet and a desktop would download for one exercise;
// the full story (sync from a fake origin, offline resolution, eviction) comes with the cache and scheduler.
var media = new ExerciseMediaInfo(
    images:
    [
        new MediaVariant(MediaVariantNames.Thumbnail, "/media/images/squat/thumb/squat.jpg"),
        new MediaVariant(MediaVariantNames.Small, "/media/images/squat/small/squat.jpg"),
        new MediaVariant(MediaVariantNames.Medium, "/media/images/squat/medium/squat.jpg"),
        new MediaVariant(MediaVariantNames.Large, "/media/images/squat/large/squat.jpg"),
    ],
    videos:
    [
        new MediaVariant(MediaVariantNames.Video720p, "/media/videos/squat/720p/squat-demo.mp4"),
        new MediaVariant(MediaVariantNames.Video1080p, "/media/videos/squat/1080p/squat-demo.mp4"),
        new MediaVariant(MediaVariantNames.Poster, "/media/videos/squat/poster/squat-demo.jpg"),
    ]);

foreach (var (device, display, freeGb) in new (string, DisplayInfo?, double)[]
{
    ("phone", FakeDisplayProbe.Phone, 1.5),
    ("tablet", FakeDisplayProbe.Tablet, 32),
    ("desktop", null, 200),
})
{
    var services = new ServiceCollection();
    services.AddLogging();
    services.AddOfflineMedia(o => o.CacheDirectory = Path.Combine(Path.GetTempPath(), "offline-media-sample"))
        .UseDisplayProbe(new FakeDisplayProbe(display))
        .UseStorageProbe(FakeStorageProbe.WithGigabytes(freeGb))
        .UseConnectivityProbe(new FakeConnectivityProbe());
    using var provider = services.BuildServiceProvider();

    var profile = provider.GetRequiredService<IDeviceProfileProvider>().GetProfile();
    var selector = provider.GetRequiredService<IVariantSelector>();
    var selection = selector.SelectForDownload(media, profile, new OfflineMediaOptions().ToVariantPreferences());
    Console.WriteLine(
        $"{device,-8} {profile.Class,-8} {freeGb,6:0.#} GB free: image {selection.Image}, video {selection.Video}, " +
        $"poster {selection.Poster}, ~{selection.EstimatedBytes / 1024.0 / 1024.0:0.0} MB; streams {selector.SelectForStreaming(media, MediaKind.Video)}");
}
