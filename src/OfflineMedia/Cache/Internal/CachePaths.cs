using System.Collections.Concurrent;
using System.IO.Abstractions;
using System.Security.Cryptography;
using System.Text;
using OfflineMedia.Internal;
using OfflineMedia.Variants;

namespace OfflineMedia.Cache.Internal;

/// <summary>
/// Maps keys to files under the cache root. Ids and variant names that are not plain lowercase tokens
/// are replaced by a hash, so no input can name a path outside the root, a device name, or two keys
/// one file on a case-insensitive disk. The cache owns its folder: it never follows a symbolic link or junction
/// under the root, and creates its folders private to the user (see <c>readme.md</c>).
/// </summary>
internal sealed class CachePaths
{
    public const int MaxKeyPartLength = 2048;

    /// <summary>The file that marks a folder as a cache's own, written when the cache creates or adopts it.</summary>
    public const string MarkerFileName = ".offline-media-cache";

    /// <summary>The names of the folders under <c>media/</c>, one per kind.</summary>
    public static readonly string[] KindFolders = ["image", "video"];

    /// <summary>Owner read, write and search only (0700): another local user can neither list nor plant files.</summary>
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const int KeyHashLength = 32;
    private const int MaxPlainLength = 64;

    /// <summary>How many checked folders are remembered at most; past it, they are checked again as they come.</summary>
    private const int MaxCheckedFolders = 4096;

    private static readonly string[] s_reservedNames =
        ["con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
         "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9"];

    private static readonly string[] s_imageExtensions = [".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".heic"];
    private static readonly string[] s_videoExtensions = [".mp4", ".m4v", ".mov", ".webm"];

    private readonly IFileSystem _fileSystem;
    private readonly string _rootWithSeparator;

    /// <summary>The folders this instance has checked (or created) while open: not links, not files, private.</summary>
    private readonly ConcurrentDictionary<string, bool> _checkedFolders = new(StringComparer.Ordinal);

    public CachePaths(IFileSystem fileSystem, string root)
    {
        _fileSystem = fileSystem;
        Root = fileSystem.Path.GetFullPath(root);
        _rootWithSeparator = Path.EndsInDirectorySeparator(Root) ? Root : Root + fileSystem.Path.DirectorySeparatorChar;
        IndexFile = fileSystem.Path.Combine(Root, "index.db");
        MediaDirectory = fileSystem.Path.Combine(Root, "media");
        TempDirectory = fileSystem.Path.Combine(Root, "tmp");
        MarkerFile = fileSystem.Path.Combine(Root, MarkerFileName);
    }

    public string Root { get; }

    public string IndexFile { get; }

    public string MediaDirectory { get; }

    public string TempDirectory { get; }

    public string MarkerFile { get; }

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

    /// <summary>Whether a name in <c>tmp/</c> is one the cache writes: a partial file, or the sidecar version 3 of the index kept beside it.</summary>
    public static bool IsPartialFileName(string name)
    {
        var stem = name.EndsWith(".part", StringComparison.Ordinal) ? name[..^5]
            : name.EndsWith(".part.json", StringComparison.Ordinal) ? name[..^10]
            : null;
        return stem is not null && IsKeyHash(stem);
    }

    /// <summary>Whether <paramref name="text"/> has the form of a key's hash (or an instance id): 32 lowercase hex digits.</summary>
    public static bool IsKeyHash(string text) => text.Length == KeyHashLength && IsLowerHex(text);

    /// <summary>Whether a folder name under <c>media/{kind}/</c> is one the cache writes: a plain token or a hashed segment.</summary>
    public static bool IsSegmentName(string name) =>
        IsPlainToken(name) || (name.Length == KeyHashLength + 1 && name[0] == '_' && IsLowerHex(name.AsSpan(1)));

    /// <summary>Whether a file name in <c>media/{kind}/{exercise}/</c> is one the cache writes: a segment with a known extension of the kind.</summary>
    public static bool IsMediaFileName(string kindFolder, string name)
    {
        var extension = Path.GetExtension(name);
        var known = kindFolder == "image" ? s_imageExtensions : s_videoExtensions;
        return Array.IndexOf(known, extension) >= 0 && IsSegmentName(name[..^extension.Length]);
    }

    /// <summary>Whether the entry is a symbolic link or a junction (dangling or not): the cache never goes through one.</summary>
    public static bool IsLink(IFileSystemInfo entry) => entry.LinkTarget is not null;

    /// <summary>
    /// Creates a folder under the root, and the folders between, private to the user; refuses any of them (the root
    /// included) that is a link or not a folder, so nothing is ever written through one. Each folder is checked once while
    /// this instance is open, as the cache never removes a folder or puts a link in its place: the root and the kinds'
    /// folders on open, an exercise's folder on its first commit. What happens to a folder while the app is not running (a
    /// link put there after a crash) is seen by the next open's checks. <see cref="ForgetCheckedFolders"/> starts over.
    /// </summary>
    public void CreateFolder(string fullPath)
    {
        if (_checkedFolders.ContainsKey(fullPath))
        {
            return;
        }

        if (fullPath != Root && !fullPath.StartsWith(_rootWithSeparator, StringComparison.Ordinal))
        {
            throw new MediaCacheException(MediaCacheError.InvalidKey, "A cache path points outside the cache folder and was refused.");
        }

        var relative = _fileSystem.Path.GetRelativePath(Root, fullPath);
        try
        {
            CheckFromRoot(relative);
        }
        catch (DirectoryNotFoundException)
        {
            // A folder checked before is gone (the cache's folder cleared by hand while open): every folder again.
            _checkedFolders.Clear();
            CheckFromRoot(relative);
        }
    }

    /// <summary>Forgets the folders checked: the next <see cref="CreateFolder"/> checks every folder on its way again.</summary>
    public void ForgetCheckedFolders() => _checkedFolders.Clear();

    /// <summary>The first folder, from the root down to a file's own, that is a link; <see langword="null"/> when none is: a delete or a move there would reach outside.</summary>
    public string? FindLinkOnTheWay(string fullPath)
    {
        string? found = null;
        var folder = _fileSystem.Path.GetDirectoryName(fullPath);
        while (folder is not null && folder.Length >= Root.Length)
        {
            if (IsLink(_fileSystem.DirectoryInfo.New(folder)))
            {
                found = folder;
            }

            folder = _fileSystem.Path.GetDirectoryName(folder);
        }

        return found;
    }

    /// <summary>
    /// Before a file of the cache is opened for writing: refuses it when its folder is a link, and removes a link found
    /// in its place (the link only, never what it points to), so the write makes a file of the cache's own.
    /// </summary>
    public static void RemoveLinkBeforeWrite(IFileSystem fileSystem, string path)
    {
        var folder = fileSystem.Path.GetDirectoryName(path)!;
        if (IsLink(fileSystem.DirectoryInfo.New(folder)))
        {
            throw LinkRefused(folder);
        }

        if (IsLink(fileSystem.FileInfo.New(path)))
        {
            fileSystem.File.Delete(path);
        }
    }

    /// <summary>Removes a link found in the cache folder: the link itself, never its target.</summary>
    public static void RemoveLink(IFileSystem fileSystem, IFileSystemInfo link)
    {
        // Deleting a link as a file unlinks it on every platform; a directory junction on Windows needs Directory.Delete.
        if (link is IDirectoryInfo && OperatingSystem.IsWindows())
        {
            fileSystem.Directory.Delete(link.FullName, recursive: false);
        }
        else
        {
            fileSystem.File.Delete(link.FullName);
        }
    }

    /// <summary>Makes a folder of the cache private to the user (0700) on Unix; a folder another user owns cannot be, and is refused.</summary>
    public void MakePrivate(string fullPath)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            if (_fileSystem.File.GetUnixFileMode(fullPath) != OwnerOnly)
            {
                _fileSystem.File.SetUnixFileMode(fullPath, OwnerOnly);
            }
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new MediaCacheException(
                MediaCacheError.CacheFolderRefused,
                $"The cache folder '{fullPath}' belongs to another user, so the cache cannot make it private; choose a folder in your app's own storage.",
                ex);
        }
    }

    /// <summary>The error for a link where the cache keeps its files.</summary>
    public static MediaCacheException LinkRefused(string path) => new(
        MediaCacheError.CacheFolderRefused,
        $"'{path}' is a symbolic link or junction; the cache never writes or deletes through one. Remove the link, or set CacheDirectory to a real folder the app owns.");

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

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }

    private void CheckFromRoot(string relative)
    {
        var folder = Root;
        CheckOnce(folder);
        if (relative == ".")
        {
            return;
        }

        foreach (var part in relative.Split(_fileSystem.Path.DirectorySeparatorChar, _fileSystem.Path.AltDirectorySeparatorChar))
        {
            folder = _fileSystem.Path.Combine(folder, part);
            CheckOnce(folder);
        }
    }

    private void CheckOnce(string folder)
    {
        if (_checkedFolders.ContainsKey(folder))
        {
            return;
        }

        CreateOneFolder(folder);
        if (_checkedFolders.Count >= MaxCheckedFolders)
        {
            _checkedFolders.Clear();
        }

        _checkedFolders.TryAdd(folder, true);
    }

    private void CreateOneFolder(string folder)
    {
        var info = _fileSystem.DirectoryInfo.New(folder);
        if (IsLink(info))
        {
            throw LinkRefused(folder);
        }

        if (info.Exists)
        {
            return;
        }

        if (_fileSystem.File.Exists(folder))
        {
            throw new MediaCacheException(MediaCacheError.CacheFolderRefused, $"'{folder}' is a file where the cache keeps a folder; remove it, or set CacheDirectory to a folder the app owns.");
        }

        // One level only: a parent checked before and removed since would be made again without a check or its mode.
        if (folder != Root && !_fileSystem.Directory.Exists(_fileSystem.Path.GetDirectoryName(folder)))
        {
            throw new DirectoryNotFoundException($"'{_fileSystem.Path.GetDirectoryName(folder)}' is gone.");
        }

        // Made private right after: with any usual umask, nobody else can write into it in between. (Not created with
        // the mode, which not every IFileSystem implements.)
        _fileSystem.Directory.CreateDirectory(folder);
        if (IsLink(_fileSystem.DirectoryInfo.New(folder)))
        {
            throw LinkRefused(folder); // Planted between the look and the create: the mode must not be set through it.
        }

        if (!OperatingSystem.IsWindows())
        {
            _fileSystem.File.SetUnixFileMode(folder, OwnerOnly);
        }
    }

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
