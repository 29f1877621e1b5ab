using System.IO.Abstractions.TestingHelpers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OfflineMedia.Storage;
using OfflineMedia.Storage.Internal;
using OfflineMedia.Sync;
using OfflineMedia.Variants;

namespace OfflineMedia.Tests.Storage;

/// <summary>The saved settings file on an in-memory file system: what is written, what is laid over the options, and what is refused.</summary>
public sealed class UserSettingsStoreTests : IDisposable
{
    private static readonly string s_directory = Path.Combine(Path.GetTempPath(), "offline-media-settings");
    private static readonly string s_file = Path.Combine(s_directory, "settings.json");

    private readonly MockFileSystem _fileSystem = new();
    private readonly ListLogger _logger = new();
    private readonly UserSettingsStore _store;

    public UserSettingsStoreTests() => _store = new UserSettingsStore(_fileSystem, _logger);

    public void Dispose() => _store.Dispose();

    [Fact]
    public void PostConfigure_NoSavedFile_LeavesTheAppsOptions()
    {
        var options = Options(o => o.Strategy = SyncStrategy.Manual);

        _store.PostConfigure(Microsoft.Extensions.Options.Options.DefaultName, options);

        Assert.Equal(SyncStrategy.Manual, options.Strategy);
        Assert.Empty(_logger.Entries);
    }

    [Fact]
    public void Save_ThenPostConfigure_LaysTheSavedChoicesOverFreshOptions()
    {
        var current = OfflineMediaSettings.From(Options());
        var changed = current with { Strategy = SyncStrategy.WiFiAndCellular, PreferredVideoQuality = VideoQuality.High, CacheSizeLimitBytes = 300L * 1024 * 1024 };

        _store.Save(s_directory, current, changed);
        var fresh = Options();
        _store.PostConfigure(Microsoft.Extensions.Options.Options.DefaultName, fresh);

        Assert.Equal(changed, OfflineMediaSettings.From(fresh));
        Assert.Equal([Path.Combine(s_directory, OfflineMedia.Cache.Internal.CachePaths.MarkerFileName), s_file], _fileSystem.Directory.GetFiles(s_directory).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Save_OnlyTheChoicesTheUserChanged_PersistSoLaterAppDefaultsStillApply()
    {
        var current = OfflineMediaSettings.From(Options());

        _store.Save(s_directory, current, current with { Strategy = SyncStrategy.Manual });
        var json = _fileSystem.File.ReadAllText(s_file);
        var laterApp = Options(o => o.DownloadVideos = false); // A later app version turns videos off by default.
        _store.PostConfigure(Microsoft.Extensions.Options.Options.DefaultName, laterApp);

        using var saved = JsonDocument.Parse(json);
        Assert.Equal("Manual", saved.RootElement.GetProperty("strategy").GetString());
        Assert.True(
            !saved.RootElement.TryGetProperty("downloadVideos", out var videos) || videos.ValueKind == JsonValueKind.Null,
            $"Only the strategy was the user's choice, but the file holds: {json}");
        Assert.Equal(SyncStrategy.Manual, laterApp.Strategy);
        Assert.False(laterApp.DownloadVideos);
    }

    [Fact]
    public void Save_Twice_KeepsTheEarlierChoices()
    {
        var first = OfflineMediaSettings.From(Options());
        var second = first with { Strategy = SyncStrategy.Manual };

        _store.Save(s_directory, first, second);
        _store.Save(s_directory, second, second with { DownloadVideos = false });
        var fresh = Options();
        _store.PostConfigure(Microsoft.Extensions.Options.Options.DefaultName, fresh);

        Assert.Equal(SyncStrategy.Manual, fresh.Strategy);
        Assert.False(fresh.DownloadVideos);
    }

    [Fact]
    public void Save_RaisesTheChangeTokenOnce()
    {
        var token = _store.GetChangeToken();
        var fired = 0;
        using var registration = token.RegisterChangeCallback(_ => fired++, null);
        var current = OfflineMediaSettings.From(Options());

        _store.Save(s_directory, current, current with { DownloadVideos = false });
        var next = _store.GetChangeToken();

        Assert.True(token.HasChanged);
        Assert.Equal(1, fired);
        Assert.False(next.HasChanged);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("[1, 2, 3]")]
    [InlineData("""{ "strategy": 7.5 }""")]
    public void PostConfigure_UnreadableFile_LogsAWarningAndLeavesTheAppsOptions(string content)
    {
        _fileSystem.AddFile(s_file, new MockFileData(content));
        var options = Options(o => o.Strategy = SyncStrategy.WiFiAndCellular);

        _store.PostConfigure(Microsoft.Extensions.Options.Options.DefaultName, options);

        Assert.Equal(OfflineMediaSettings.From(Options(o => o.Strategy = SyncStrategy.WiFiAndCellular)), OfflineMediaSettings.From(options));
        var warning = Assert.Single(_logger.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(s_file, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PostConfigure_ValuesOutOfRange_AreIgnoredAndTheOthersApply()
    {
        _fileSystem.AddFile(s_file, new MockFileData("""{ "cacheSizeLimitBytes": -1, "strategy": "Manual", "preferredVideoQuality": 9 }"""));
        var options = Options();

        _store.PostConfigure(Microsoft.Extensions.Options.Options.DefaultName, options);

        Assert.Equal(new OfflineMediaOptions().CacheSizeLimitBytes, options.CacheSizeLimitBytes);
        Assert.Equal(VideoQuality.Auto, options.PreferredVideoQuality);
        Assert.Equal(SyncStrategy.Manual, options.Strategy);
    }

    [Fact]
    public void PostConfigure_NamedOptions_AreLeftAlone()
    {
        var current = OfflineMediaSettings.From(Options());
        _store.Save(s_directory, current, current with { Strategy = SyncStrategy.Manual });
        var named = Options();

        _store.PostConfigure("other", named);

        Assert.Equal(SyncStrategy.WiFiOnly, named.Strategy);
    }

    private static OfflineMediaOptions Options(Action<OfflineMediaOptions>? configure = null)
    {
        var options = new OfflineMediaOptions { CacheDirectory = s_directory };
        configure?.Invoke(options);
        return options;
    }

    private sealed class ListLogger : ILogger<UserSettingsStore>
    {
        private readonly List<(LogLevel Level, string Message)> _entries = [];

        public IReadOnlyList<(LogLevel Level, string Message)> Entries => _entries;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _entries.Add((logLevel, formatter(state, exception)));
    }
}
