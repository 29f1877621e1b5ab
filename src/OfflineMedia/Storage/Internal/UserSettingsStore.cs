using System.IO.Abstractions;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using OfflineMedia.Diagnostics;

namespace OfflineMedia.Storage.Internal;

/// <summary>
/// The user's runtime settings in <c>settings.json</c> in the cache folder, laid over the app's options
/// (post-configure) so every component that reads <see cref="IOptionsMonitor{TOptions}"/> sees them;
/// saving raises the options change token. Written to a temporary file and moved, never half-written.
/// </summary>
internal sealed class UserSettingsStore(IFileSystem fileSystem, ILogger<UserSettingsStore> logger)
    : IPostConfigureOptions<OfflineMediaOptions>, IOptionsChangeTokenSource<OfflineMediaOptions>, IDisposable
{
    private readonly object _gate = new();
    private CancellationTokenSource _changed = new();

    public string? Name => Options.DefaultName;

    public IChangeToken GetChangeToken()
    {
        lock (_gate)
        {
            return new CancellationChangeToken(_changed.Token);
        }
    }

    public void PostConfigure(string? name, OfflineMediaOptions options)
    {
        if (name == Options.DefaultName)
        {
            Read(options.CacheDirectory)?.ApplyTo(options);
        }
    }

    /// <summary>Saves the settings that differ from <paramref name="current"/>, merged with those saved before: only the user's own choices persist.</summary>
    public void Save(string cacheDirectory, OfflineMediaSettings current, OfflineMediaSettings changed)
    {
        var saved = Read(cacheDirectory) ?? new SavedSettings();
        saved.Merge(current, changed);

        var path = PathOf(cacheDirectory);
        var temporary = path + ".tmp";
        // Only into the cache's own folder (never over a file of someone else's), never through a link planted there;
        // the move replaces a link at the final path itself.
        Cache.Internal.CacheOwnership.Claim(fileSystem, new Cache.Internal.CachePaths(fileSystem, cacheDirectory), logger);
        Cache.Internal.CachePaths.RemoveLinkBeforeWrite(fileSystem, temporary);
        fileSystem.File.WriteAllText(temporary, JsonSerializer.Serialize(saved, SettingsJsonContext.Default.SavedSettings));
        fileSystem.File.Move(temporary, path, overwrite: true);

        CancellationTokenSource changedToken;
        lock (_gate)
        {
            changedToken = _changed;
            _changed = new CancellationTokenSource();
        }

        changedToken.Cancel(); // IOptionsMonitor rebuilds the options, with the saved settings laid over them.
        changedToken.Dispose();
    }

    private SavedSettings? Read(string cacheDirectory)
    {
        var path = PathOf(cacheDirectory);
        try
        {
            return fileSystem.File.Exists(path)
                ? JsonSerializer.Deserialize(fileSystem.File.ReadAllText(path), SettingsJsonContext.Default.SavedSettings)
                : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            // Unreadable saved settings fall back to the app's defaults rather than failing the host.
            Log.SettingsUnreadable(logger, path, ex);
            return null;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _changed.Dispose();
        }
    }

    private string PathOf(string cacheDirectory) => fileSystem.Path.Combine(cacheDirectory, "settings.json");
}

/// <summary>The file form of the user's choices: only what the user changed is set, so the app's other defaults still apply.</summary>
internal sealed class SavedSettings
{
    public long? CacheSizeLimitBytes { get; set; }

    public Sync.SyncStrategy? Strategy { get; set; }

    public Variants.VideoQuality? PreferredVideoQuality { get; set; }

    public bool? DownloadVideos { get; set; }

    public bool? ShowDataUsageWarnings { get; set; }

    public void Merge(OfflineMediaSettings current, OfflineMediaSettings changed)
    {
        if (changed.CacheSizeLimitBytes != current.CacheSizeLimitBytes)
        {
            CacheSizeLimitBytes = changed.CacheSizeLimitBytes;
        }

        if (changed.Strategy != current.Strategy)
        {
            Strategy = changed.Strategy;
        }

        if (changed.PreferredVideoQuality != current.PreferredVideoQuality)
        {
            PreferredVideoQuality = changed.PreferredVideoQuality;
        }

        if (changed.DownloadVideos != current.DownloadVideos)
        {
            DownloadVideos = changed.DownloadVideos;
        }

        if (changed.ShowDataUsageWarnings != current.ShowDataUsageWarnings)
        {
            ShowDataUsageWarnings = changed.ShowDataUsageWarnings;
        }
    }

    /// <summary>Lays the saved choices over the options; a value out of range (a hand-edited file) is ignored.</summary>
    public void ApplyTo(OfflineMediaOptions options)
    {
        if (CacheSizeLimitBytes is >= OfflineMedia.Internal.OfflineMediaOptionsValidator.MinCacheSizeLimitBytes and <= OfflineMedia.Internal.OfflineMediaOptionsValidator.MaxCacheSizeLimitBytes)
        {
            options.CacheSizeLimitBytes = CacheSizeLimitBytes.Value;
        }

        if (Strategy is { } strategy && Enum.IsDefined(strategy))
        {
            options.Strategy = strategy;
        }

        if (PreferredVideoQuality is { } quality && Enum.IsDefined(quality))
        {
            options.PreferredVideoQuality = quality;
        }

        if (DownloadVideos is { } videos)
        {
            options.DownloadVideos = videos;
        }

        if (ShowDataUsageWarnings is { } warnings)
        {
            options.ShowDataUsageWarnings = warnings;
        }
    }
}

[JsonSerializable(typeof(SavedSettings))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, WriteIndented = true)]
internal sealed partial class SettingsJsonContext : JsonSerializerContext;
