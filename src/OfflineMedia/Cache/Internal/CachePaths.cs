using System.IO.Abstractions;
using System.Security.Cryptography;
using System.Text;
using OfflineMedia.Internal;
using OfflineMedia.Variants;

namespace OfflineMedia.Cache.Internal;

/// <summary>
/// Maps keys to files under the cache root. Ids and variant names that are not plain lowercase tokens
/// are replaced by a hash, so no input can name a path outside the root, a device name, or two keys
/// one file on a case-insensitive disk.
/// </summary>
internal sealed class CachePaths
{
    public const int MaxKeyPartLength = 2048;
    private const int MaxPlainLength = 64;

    private static readonly string[] s_reservedNames =
        ["con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
         "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9"];

    private static readonly string[] s_imageExtensions = [".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".heic"];
    private static readonly string[] s_videoExtensions = [".mp4", ".m4v", ".mov", ".webm"];

    private readonly IFileSystem _fileSystem;
    private readonly string _rootWithSeparator;

    public CachePaths(IFileSystem fileSystem, string root)
    {
        _fileSystem = fileSystem;
        Root = fileSystem.Path.GetFullPath(root);
        _rootWithSeparator = Path.EndsInDirectorySeparator(Root) ? Root : Root + fileSystem.Path.DirectorySeparatorChar;
        IndexFile = fileSystem.Path.Combine(Root, "index.db");
        MediaDirectory = fileSystem.Path.Combine(Root, "media");
        TempDirectory = fileSystem.Path.Combine(Root, "tmp");
    }

    public string Root { get; }

    public string IndexFile { get; }

    public string MediaDirectory { get; }

    public string TempDirectory { get; }

    /// <summary>Refuses keys that cannot name a file whatever the encoding: empty, huge, or with control characters.</summary>
    public static void Validate(MediaKey key)
    {
        ValidatePart(key.ExerciseId, "exercise id", key);
        ValidatePart(key.Variant, "variant name", key);
        if (!Enum.IsDefined(key.Kind))
        {
            throw new MediaCacheException(MediaCacheError.InvalidKey, $"The media kind {(int)key.Kind} is not Image or Video.") { Key = key };
        }
    }

    /// <summary>The relative path of a key's file: <c>media/{kind}/{exercise}/{variant}{ext}</c>.</summary>
    public string RelativeMediaPath(MediaKey key, string url)
    {
        var kind = key.Kind == MediaKind.Image ? "image" : "video";
        return _fileSystem.Path.Combine("media", kind, Segment(key.ExerciseId), Segment(key.Variant) + Extension(key.Kind, url));
    }

    /// <summary>The absolute path of a relative one, checked to lie under the root.</summary>
    public string Resolve(string relativePath)
    {
        var full = _fileSystem.Path.GetFullPath(_fileSystem.Path.Combine(Root, relativePath));
        if (!full.StartsWith(_rootWithSeparator, StringComparison.Ordinal))
        {
            // Unreachable for paths this class builds; a tampered index row could try it.
            throw new MediaCacheException(MediaCacheError.InvalidKey, "A cache path points outside the cache folder and was refused.");
        }

        return full;
    }

    public string Relative(string fullPath) => _fileSystem.Path.GetRelativePath(Root, fullPath);

    /// <summary>The temporary file of a key's download; named by a hash of the key so it survives restarts.</summary>
    public string PartialFile(MediaKey key) => _fileSystem.Path.Combine(TempDirectory, KeyHash(key) + ".part");

    public static string KeyHash(MediaKey key)
    {
        var text = $"{key.ExerciseId}\0{(int)key.Kind}\0{key.Variant}";
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return Hex.Lower(hash[..16]);
    }

    internal static string Segment(string part)
    {
        if (IsPlainToken(part))
        {
            return part;
        }

        // '_' cannot start a plain token, so a hashed segment never collides with one.
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(part), hash);
        return "_" + Hex.Lower(hash[..16]);
    }

    internal static bool IsPlainToken(string part)
    {
        if (part.Length is 0 or > MaxPlainLength || part[^1] == '.' || !IsLowerAlphanumeric(part[0]))
        {
            return false;
        }

        foreach (var c in part)
        {
            if (!(IsLowerAlphanumeric(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        // "con", "nul.txt", "com1.mp4": names Windows reserves whatever the extension.
        var stem = part.Split('.')[0];
        return Array.IndexOf(s_reservedNames, stem) < 0 && !part.Contains("..", StringComparison.Ordinal);
    }

    private static bool IsLowerAlphanumeric(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');

    private static void ValidatePart(string? part, string what, MediaKey key)
    {
        if (string.IsNullOrWhiteSpace(part))
        {
            throw new MediaCacheException(MediaCacheError.InvalidKey, $"The {what} is empty.") { Key = key };
        }

        if (part.Length > MaxKeyPartLength)
        {
            throw new MediaCacheException(MediaCacheError.InvalidKey, $"The {what} is {part.Length} characters long; at most {MaxKeyPartLength} are allowed.") { Key = key };
        }

        foreach (var c in part)
        {
            if (char.IsControl(c))
            {
                throw new MediaCacheException(MediaCacheError.InvalidKey, $"The {what} contains a control character (U+{(int)c:X4}).") { Key = key };
            }
        }
    }

    /// <summary>The file extension: the URL's when it is a known media type of the kind, else .jpg or .mp4.</summary>
    private static string Extension(MediaKind kind, string url)
    {
        var path = url.AsSpan();
        var end = path.IndexOfAny('?', '#');
        if (end >= 0)
        {
            path = path[..end];
        }

        var extension = Path.GetExtension(path).ToString().ToLowerInvariant();
        var known = kind == MediaKind.Image ? s_imageExtensions : s_videoExtensions;
        return Array.IndexOf(known, extension) >= 0 ? extension : known[0];
    }
}
