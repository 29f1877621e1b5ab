using OfflineMedia.Internal;
using OfflineMedia.Sync;
using OfflineMedia.Variants;

namespace OfflineMedia;

/// <summary>
/// Settings of the offline media SDK: the sync policy, the storage budget and the media preferences, plus where
/// the media API and the cache are, and how long the SDK waits for a server. Validated when the host starts.
/// </summary>
public sealed class OfflineMediaOptions
{
    /// <summary>The name of the configuration section that <c>AddOfflineMedia(IConfiguration)</c> reads by convention.</summary>
    public const string SectionName = "OfflineMedia";

    /// <summary>Gets or sets the base address of the media API; relative media URLs resolve against it.</summary>
    /// <value>The default is <see langword="null"/>; it must be set when the default HTTP catalog is used. Only <c>http</c> and <c>https</c> are allowed.</value>
    public Uri? ApiBaseAddress { get; set; }

    /// <summary>
    /// Gets or sets the folder that holds the cache (its index and media files). The cache owns it: use a folder in the
    /// app's private storage (Android <c>Context.FilesDir</c>, iOS Application Support excluded from backup, desktop
    /// local application data) used for nothing else. The cache creates it private to the user and marks it; it refuses,
    /// with <see cref="Cache.MediaCacheError.CacheFolderRefused"/>, a folder that holds files it did not create, and a
    /// folder that is, or contains, a symbolic link or junction.
    /// </summary>
    /// <value>The default is <c>OfflineMedia</c> under the user's local application data folder. It must be an absolute path.</value>
    public string CacheDirectory { get; set; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "OfflineMedia");

    /// <summary>Gets or sets when media may be downloaded.</summary>
    /// <value>The default is <see cref="SyncStrategy.WiFiOnly"/>.</value>
    public SyncStrategy Strategy { get; set; } = SyncStrategy.WiFiOnly;

    /// <summary>Gets or sets the most bytes the cache may hold; unpinned media beyond it are evicted, least recently used first.</summary>
    /// <value>The default is 2 GiB. Allowed: 1 MiB to 1 TiB.</value>
    [OptionRange(OfflineMediaOptionsValidator.MinCacheSizeLimitBytes, OfflineMediaOptionsValidator.MaxCacheSizeLimitBytes, ErrorMessage = "{0} must be between {1} (1 MiB) and {2} (1 TiB) bytes; it was {3}.")]
    public long CacheSizeLimitBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Gets or sets how many days cached media are kept after they were last used, unless pinned.</summary>
    /// <value>The default is 30. Allowed: 1 to 3650.</value>
    [OptionRange(1, 3650, ErrorMessage = "{0} must be between {1} and {2} days; it was {3}.")]
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
    [TimeSpanRange("01:00:00", "90.00:00:00", ErrorMessage = "{0} must be between {1} (1 hour) and {2} (90 days); it was {3}.")]
    public TimeSpan UpcomingWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Gets or sets how old a complete sync of a workout may get before it is synced again.</summary>
    /// <value>The default is 1 day. Allowed: 1 minute to 30 days.</value>
    [TimeSpanRange("00:01:00", "30.00:00:00", ErrorMessage = "{0} must be between {1} (1 minute) and {2} (30 days); it was {3}.")]
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Gets or sets how many files download at once.</summary>
    /// <value>The default is 4. Allowed: 1 to 16.</value>
    [OptionRange(1, 16)]
    public int MaxParallelDownloads { get; set; } = 4;

    /// <summary>
    /// Gets or sets the most connections the SDK opens to one server (scheme, host and port), for media and for the API
    /// alike, so thousands of devices cannot each open a crowd of connections to one origin or CDN. Requests beyond it
    /// wait for a free connection. Over HTTP/2, which both clients prefer over TLS, every request to a server shares one
    /// connection anyway. Where the platform's own HTTP stack cannot be told (the browser), it is not applied to the API.
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>: <see cref="MaxParallelDownloads"/> + 2, one connection per transfer and two
    /// spare for a connection still closing after a cut-off body and for the app's own downloads during a sync.
    /// Allowed: 1 to 64.
    /// </value>
    [OptionRange(1, 64)]
    public int? MaxConnectionsPerServer { get; set; }

    /// <summary>Gets or sets the most bytes one image may have; a larger body is refused as not the media expected.</summary>
    /// <value>The default is 64 MiB. Allowed: 64 KiB to 1 GiB.</value>
    [OptionRange(64 * 1024, 1024 * 1024 * 1024, ErrorMessage = "{0} must be between {1} (64 KiB) and {2} (1 GiB) bytes; it was {3}.")]
    public long MaxImageBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Gets or sets the most bytes one video may have; a larger body is refused as not the media expected.</summary>
    /// <value>The default is 4 GiB. Allowed: 1 MiB to 64 GiB.</value>
    [OptionRange(1024 * 1024, 64L * 1024 * 1024 * 1024, ErrorMessage = "{0} must be between {1} (1 MiB) and {2} (64 GiB) bytes; it was {3}.")]
    public long MaxVideoBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Gets or sets the free storage always left to the device: a download that would eat into it is refused.</summary>
    /// <value>The default is 256 MiB. Allowed: 0 to 64 GiB.</value>
    [OptionRange(0, 64L * 1024 * 1024 * 1024, ErrorMessage = "{0} must be between {1} and {2} (64 GiB) bytes; it was {3}.")]
    public long StorageReserveBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// Gets or sets how long a download may receive nothing (its response headers, or the next bytes of its body) before
    /// it counts as dropped (and later resumes). It is also the window over which <see cref="MinimumDownloadBytesPerSecond"/> is measured.
    /// </summary>
    /// <value>The default is 30 seconds. Allowed: 1 second to 10 minutes.</value>
    [TimeSpanRange("00:00:01", "00:10:00", ErrorMessage = "{0} must be between {1} (1 second) and {2} (10 minutes); it was {3}.")]
    public TimeSpan DownloadStallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the slowest a download may go: a body that receives fewer bytes than this rate over a whole
    /// <see cref="DownloadStallTimeout"/> counts as dropped, so a server trickling bytes cannot hold a sync; the next
    /// attempt resumes where it stopped. 0 turns the check off (only a full stall ends a download).
    /// </summary>
    /// <value>The default is 4096 (4 KiB/s: 120 KiB in 30 seconds, below any usable mobile network). Allowed: 0 to 104857600 (100 MiB/s).</value>
    [OptionRange(0, OfflineMediaOptionsValidator.MaxMinimumDownloadBytesPerSecond, ErrorMessage = "{0} must be between {1} (off) and {2} (100 MiB/s); it was {3}.")]
    public long MinimumDownloadBytesPerSecond { get; set; } = 4 * 1024;

    /// <summary>
    /// Gets or sets how many times a sync tries one file before it reports it failed. The count restarts when a try
    /// moved a real part of the file (an eighth of it, at most 1 MiB), so a flaky network can still
    /// finish a large file while a server that sends a few bytes per try cannot keep it going.
    /// </summary>
    /// <value>The default is 4. Allowed: 1 to 10.</value>
    [OptionRange(1, 10)]
    public int MaxDownloadAttempts { get; set; } = 4;

    /// <summary>
    /// Gets or sets the longest <c>Retry-After</c> a sync waits for before trying a file again. A server that asks for
    /// longer gets the file reported failed now, with the time it asked to be retried at; the next sync tries again.
    /// </summary>
    /// <value>The default is 30 seconds. Allowed: 0 to 1 hour.</value>
    [TimeSpanRange("00:00:00", "01:00:00", ErrorMessage = "{0} must be between {1} and {2} (1 hour); it was {3}.")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how long one sync may run, counted from its start. When it passes, the files still downloading or
    /// waiting are reported failed with that reason (their partial files stay, and the next sync or
    /// <c>RetryFailedAsync</c> resumes them); what finished stays cached. A background task with a platform time limit sets it below that limit.
    /// </summary>
    /// <value>The default is <see langword="null"/>: no limit. Allowed: 1 second to 1 day.</value>
    [TimeSpanRange("00:00:01", "1.00:00:00", ErrorMessage = "{0} must be empty (no limit) or between {1} (1 second) and {2} (1 day); it was {3}.")]
    public TimeSpan? SyncTimeout { get; set; }

    /// <summary>
    /// Gets or sets how long one request to the media API may take, from sending it to the last byte of its answer,
    /// redirects included. A server that answers slowly or trickles its body fails the request with a network error.
    /// </summary>
    /// <value>The default is 30 seconds. Allowed: 1 second to 10 minutes.</value>
    [TimeSpanRange("00:00:01", "00:10:00", ErrorMessage = "{0} must be between {1} (1 second) and {2} (10 minutes); it was {3}.")]
    public TimeSpan ApiRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the first wait before a retry; each further retry waits about twice as long (with jitter), unless the server sends <c>Retry-After</c>.</summary>
    /// <value>The default is 1 second. Allowed: 10 milliseconds to 1 minute.</value>
    [TimeSpanRange("00:00:00.01", "00:01:00", ErrorMessage = "{0} must be between {1} (10 ms) and {2} (1 minute); it was {3}.")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how long a sync that lost its allowed network waits for it to come back before it stops, keeping what it has.</summary>
    /// <value>The default is 5 minutes. Allowed: 0 to 1 day.</value>
    [TimeSpanRange("00:00:00", "1.00:00:00", ErrorMessage = "{0} must be between {1} and {2} (1 day); it was {3}.")]
    public TimeSpan SyncPauseTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the size of a cellular download above which the app is asked first (when <see cref="ShowDataUsageWarnings"/> is on).</summary>
    /// <value>The default is 50 MiB. Allowed: 0 to 64 GiB.</value>
    [OptionRange(0, 64L * 1024 * 1024 * 1024, ErrorMessage = "{0} must be between {1} and {2} (64 GiB) bytes; it was {3}.")]
    public long CellularWarningThresholdBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Gets or sets how often the opt-in in-process loop (<c>EnableBackgroundSync()</c>) checks for due workouts; it also checks when the network changes.</summary>
    /// <value>The default is 1 hour. Allowed: 1 minute to 1 day.</value>
    [TimeSpanRange("00:01:00", "1.00:00:00", ErrorMessage = "{0} must be between {1} (1 minute) and {2} (1 day); it was {3}.")]
    public TimeSpan BackgroundSyncInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets the window over which the in-process loop (<c>EnableBackgroundSync()</c>) spreads its scheduled syncs:
    /// the first starts a random time within it after the host starts, and so does one woken by the network coming back,
    /// so devices started together (an app update, a gym opening) or whose Wi-Fi comes back together do not all reach the
    /// server in the same second. Each device draws its own offsets. It is at most <see cref="BackgroundSyncInterval"/>;
    /// zero starts them at once. Explicit syncs ("Sync now") never wait.
    /// </summary>
    /// <value>The default is 10 minutes. Allowed: 0 to 1 day.</value>
    [TimeSpanRange("00:00:00", "1.00:00:00", ErrorMessage = "{0} must be between {1} (off) and {2} (1 day); it was {3}.")]
    public TimeSpan BackgroundSyncJitter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the route of an exercise's media, relative to <see cref="ApiBaseAddress"/>; <c>{exerciseId}</c> is replaced, escaped.</summary>
    /// <value>The default is <c>api/exercises/{exerciseId}/media</c>.</value>
    public string ExerciseMediaRoute { get; set; } = "api/exercises/{exerciseId}/media";

    /// <summary>Gets or sets the route of one workout, relative to <see cref="ApiBaseAddress"/>; <c>{workoutId}</c> is replaced, escaped.</summary>
    /// <value>The default is <c>api/workouts/{workoutId}</c>.</value>
    public string WorkoutRoute { get; set; } = "api/workouts/{workoutId}";

    /// <summary>Gets or sets the route of the upcoming workouts, relative to <see cref="ApiBaseAddress"/>; <c>{days}</c> is replaced.</summary>
    /// <value>The default is <c>api/workouts/upcoming?days={days}</c>.</value>
    public string UpcomingWorkoutsRoute { get; set; } = "api/workouts/upcoming?days={days}";

    /// <summary>Gets or sets the screen diagonal, in inches, from which a device is a tablet rather than a phone.</summary>
    /// <value>The default is 7. Allowed: 1 to 100, and less than <see cref="DesktopMinScreenInches"/>.</value>
    [OptionRange(1, 100, ErrorMessage = "{0} must be between {1} and {2} inches; it was {3}.")]
    public double TabletMinScreenInches { get; set; } = 7;

    /// <summary>Gets or sets the screen diagonal, in inches, from which a device is a desktop rather than a tablet.</summary>
    /// <value>The default is 10. Allowed: 1 to 100, and more than <see cref="TabletMinScreenInches"/>.</value>
    [OptionRange(1, 100, ErrorMessage = "{0} must be between {1} and {2} inches; it was {3}.")]
    public double DesktopMinScreenInches { get; set; } = 10;

    /// <summary>Gets the connection limit per server in effect: <see cref="MaxConnectionsPerServer"/>, else <see cref="MaxParallelDownloads"/> + 2.</summary>
    internal int ConnectionsPerServer => MaxConnectionsPerServer ?? MaxParallelDownloads + 2;

    /// <summary>Gets the user's variant settings as the selector takes them.</summary>
    /// <returns>The preferences these options describe.</returns>
    public VariantPreferences ToVariantPreferences() =>
        new() { DownloadVideos = DownloadVideos, VideoQuality = PreferredVideoQuality };
}
