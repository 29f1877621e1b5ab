using BenchmarkDotNet.Attributes;
using OfflineMedia.Profiles;
using OfflineMedia.Testing;
using OfflineMedia.Variants;
using OfflineMedia.Variants.Internal;

namespace OfflineMedia.Benchmarks.Variants;

/// <summary>
/// The variant selector on the hot path of sync planning: one call per exercise. Target: at most
/// 100 ns and 0 B per selection, for every device class, with a full and a sparse variant map.
/// </summary>
[MemoryDiagnoser]
public class VariantSelectionBenchmarks
{
    private const long GiB = 1024L * 1024 * 1024;

    private readonly DefaultVariantSelector _selector = new();
    private readonly VariantPreferences _preferences = VariantPreferences.Default;
    private ExerciseMediaInfo _media = ExerciseMediaInfo.Empty;
    private DeviceProfile _profile = null!;

    /// <summary>The variant maps the media API may return.</summary>
    public enum VariantMap
    {
        /// <summary>Every image and video variant and the poster.</summary>
        Full,

        /// <summary>Only thumbnail and original images, only the original video, no poster: the ladders are walked.</summary>
        Sparse,
    }

    [Params(DeviceClass.Phone, DeviceClass.Tablet, DeviceClass.Desktop)]
    public DeviceClass Device { get; set; }

    [Params(VariantMap.Full, VariantMap.Sparse)]
    public VariantMap Map { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _media = Map == VariantMap.Full
            ? new ExerciseMediaInfo(
                [V("thumbnail", 51_200), V("small"), V("medium"), V("large", 1_572_864), V("original")],
                [V("720p"), V("1080p", 26_214_400), V("original"), V("poster")])
            : new ExerciseMediaInfo([V("thumbnail"), V("original")], [V("original")]);

        // A phone short of storage (small images, 720p), the others with room (1080p).
        _profile = Device switch
        {
            DeviceClass.Phone => new DeviceProfile(DeviceClass.Phone, FakeDisplayProbe.Phone.DiagonalInches, 1 * GiB, FakeConnectivityProbe.WiFi),
            DeviceClass.Tablet => new DeviceProfile(DeviceClass.Tablet, FakeDisplayProbe.Tablet.DiagonalInches, 64 * GiB, FakeConnectivityProbe.WiFi),
            _ => new DeviceProfile(DeviceClass.Desktop, null, 500 * GiB, FakeConnectivityProbe.WiFi),
        };
    }

    [Benchmark]
    public MediaSelection SelectForDownload() => _selector.SelectForDownload(_media, _profile, _preferences);

    [Benchmark]
    public VariantChoice SelectForStreaming() => _selector.SelectForStreaming(_media, MediaKind.Video);

    private static MediaVariant V(string name, long? bytes = null) =>
        new(name, $"https://cdn.example.com/media/exercise-123/{name}/squat", bytes);
}
