namespace OfflineMedia.Cache;

/// <summary>Why the cache could not provide a file.</summary>
public enum MediaCacheError
{
    /// <summary>The exercise id or variant name cannot name a file (empty, too long, or with control characters).</summary>
    InvalidKey,

    /// <summary>The URL is not an <c>http</c> or <c>https</c> URL, or is relative without an API base address.</summary>
    UnsupportedUrl,

    /// <summary>The server answered with an error status; see <see cref="MediaCacheException.StatusCode"/> and <see cref="MediaCacheException.RetryAfter"/>.</summary>
    HttpStatus,

    /// <summary>The connection failed or dropped; a partial file is kept and the next attempt resumes it.</summary>
    Network,

    /// <summary>The body is not the media expected: a text page, the wrong length or digest, or over the size cap.</summary>
    VerificationFailed,

    /// <summary>The file does not fit: the disk is full, or the cache budget is taken by pinned media.</summary>
    InsufficientSpace,

    /// <summary>The cache cannot read or write its own files.</summary>
    Storage,

    /// <summary>
    /// The cache folder is not one the cache can own: it holds files the cache did not create (and no marker of an
    /// earlier cache), it or a folder or file inside it is a symbolic link or junction, or it belongs to another user.
    /// Nothing was written or deleted. Set <see cref="OfflineMediaOptions.CacheDirectory"/> to a folder in the app's
    /// private storage used for nothing else; the message names the path.
    /// </summary>
    CacheFolderRefused,

    /// <summary>
    /// Another cache instance, in this process or another, has the cache folder open, and the folder's file system
    /// offers no file locks to share it safely (for example a network share, or file locking turned off for .NET):
    /// the message names the folder. Give each process a folder of its own there, or close the other instance first.
    /// </summary>
    CacheFolderInUse,
}
