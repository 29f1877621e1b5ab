using System.IO.Abstractions;
using OfflineMedia.Cache;
using OfflineMedia.Internal;
using OfflineMedia.Variants;

namespace OfflineMedia.Playback.Internal;

/// <summary>
/// What one local URL serves: a file read through the cache (a key and where to download it from), or a cached file
/// as resolution handed it out. Each request opens it afresh, so a seek of the player is a new request with its own stream.
/// </summary>
internal sealed class LocalMediaServerTarget
{
    private readonly MediaKey _key;
    private readonly MediaSource? _source;
    private readonly string? _path;

    private LocalMediaServerTarget(MediaKey key, MediaSource? source, string? path, string fileName)
    {
        _key = key;
        _source = source;
        _path = path;
        FileName = fileName;
    }

    /// <summary>Gets the last segment of the URL: a name with the file's extension, for players that go by it.</summary>
    public string FileName { get; }

    /// <summary>Gets what the target serves, for a log: the key, or the file's name (never the URL's token).</summary>
    public string Description => _path is null ? _key.ToString() : SafeText.Escape(Path.GetFileName(_path));

    public static LocalMediaServerTarget ThroughCache(MediaKey key, MediaSource source)
    {
        var extension = MediaContentTypes.KnownExtension(UrlPath(source.Url), key.Kind) ?? (key.Kind == MediaKind.Video ? ".mp4" : ".jpg");
        return new(key, source, path: null, UrlSafe(key.Variant) + extension);
    }

    public static LocalMediaServerTarget CachedFile(string path) => new(default, source: null, path, UrlSafe(Path.GetFileName(path)));

    /// <summary>Opens the media; the stream is the caller's to dispose.</summary>
    public async Task<(Stream Stream, string ContentType)> OpenAsync(IMediaStreams streams, IFileSystem fileSystem, CancellationToken cancellationToken)
    {
        if (_path is not null)
        {
            // Shared for delete: an eviction may remove the file while it plays; this stream keeps its bytes.
            var file = fileSystem.FileStream.New(_path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous);
            return (file, MediaContentTypes.ForPath(_path));
        }

        var stream = await streams.OpenReadAsync(_key, _source!, cancellationToken).ConfigureAwait(false);
        return (stream, stream.ContentType ?? MediaContentTypes.ForPath(FileName));
    }

    private static string UrlPath(string url) => url.Split('?', '#')[0];

    /// <summary>Letters, digits, dot, dash and underscore, at most 80 of them: a name from the network never changes the URL's shape.</summary>
    private static string UrlSafe(string name)
    {
        var safe = string.Create(Math.Min(name.Length, 80), name, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = source[source.Length - span.Length + i]; // The end keeps the extension.
                span[i] = char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_';
            }
        });
        return safe.Trim('.').Length == 0 ? "media" : safe;
    }
}
