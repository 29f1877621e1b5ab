using OfflineMedia.Sync;
using OfflineMedia.Variants;

namespace OfflineMedia;

/// <summary>
/// Settings of the offline media SDK: the brief's <c>MediaSyncSettings</c> with the same defaults,
/// plus where the media API and the cache are. Validated when the host starts.
/// </summary>
public sealed class OfflineMediaOptions
{
    /// <summary>The name of the configuration section that <c>AddOfflineMedia(IConfiguration)</c> reads by convention.</summary>
    public const string SectionName = "OfflineMedia";

    /// <summary>Gets or sets the base address of the media API; relative media URLs resolve against it.</summary>
    /// <value>The default is <see langword="null"/>; it must be set when the default HTTP catalog is used. Only <c>http</c> and <c>https</c> are allowed.</value>
    public Uri? ApiBaseAddress { get; set; }

    /// <summary>Gets or sets the folder that holds the cache (its index and media files).</summary>
    /// <value>The default is <c>OfflineMedia</c> under the user's local application data folder. It must be an absolute path.</value>
    public string CacheDirectory { get; set; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "OfflineMedia");

    /// <summary>Gets or sets when media may be downloaded.</summary>
    /// <value>The default is <see cref="SyncStrategy.WiFiOnly"/>.</value>
    public SyncStrategy Strategy { get; set; } = SyncStrategy.WiFiOnly;

    /// <summary>Gets or sets the most bytes the cache may hold; unpinned media beyond it are evicted, least recently used first.</summary>
    /// <value>The default is 2 GiB. Allowed: 1 MiB to 1 TiB.</value>
    public long CacheSizeLimitBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Gets or sets how many days cached media are kept after they were last used, unless pinned.</summary>
    /// <value>The default is 30. Allowed: 1 to 3650.</value>
    public int DaysToKeepMedia { get; set; } = 30;

    /// <summary>Gets or sets a value indicating whether videos are downloaded. Posters are downloaded either way.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool DownloadVideos { get; set; } = true;

    /// <summary>Gets or sets the preferred video quality.</summary>
    /// <value>The default is <see cref="VideoQuality.Auto"/>.</value>
    public VideoQuality PreferredVideoQuality { get; set; } = VideoQuality.Auto;

    /// <summary>Gets or sets a value indicating whether the app is asked before a large download over cellular.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ShowDataUsageWarnings { get; set; } = true;

    /// <summary>Gets or sets how far ahead workouts are synced.</summary>
    /// <value>The default is 7 days. Allowed: 1 hour to 90 days.</value>
    public TimeSpan UpcomingWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Gets or sets how old a complete sync of a workout may get before it is synced again.</summary>
    /// <value>The default is 1 day. Allowed: 1 minute to 30 days.</value>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Gets or sets how many files download at once.</summary>
    /// <value>The default is 4. Allowed: 1 to 16.</value>
    public int MaxParallelDownloads { get; set; } = 4;

    /// <summary>Gets or sets the screen diagonal, in inches, from which a device is a tablet rather than a phone.</summary>
    /// <value>The default is 7. Allowed: 1 to 100, and less than <see cref="DesktopMinScreenInches"/>.</value>
    public double TabletMinScreenInches { get; set; } = 7;

    /// <summary>Gets or sets the screen diagonal, in inches, from which a device is a desktop rather than a tablet.</summary>
    /// <value>The default is 10. Allowed: 1 to 100, and more than <see cref="TabletMinScreenInches"/>.</value>
    public double DesktopMinScreenInches { get; set; } = 10;

    /// <summary>Gets the user's variant settings as the selector takes them.</summary>
    /// <returns>The preferences these options describe.</returns>
    public VariantPreferences ToVariantPreferences() =>
        new() { DownloadVideos = DownloadVideos, VideoQuality = PreferredVideoQuality };
}
