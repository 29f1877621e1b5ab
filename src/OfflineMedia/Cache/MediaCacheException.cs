using System.Net;

namespace OfflineMedia.Cache;

/// <summary>The cache could not provide a file. Cancellation is reported as <see cref="OperationCanceledException"/> instead.</summary>
public sealed class MediaCacheException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="MediaCacheException"/> class.</summary>
    public MediaCacheException()
        : this(MediaCacheError.Storage, "The media cache failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MediaCacheException"/> class.</summary>
    /// <param name="message">The message.</param>
    public MediaCacheException(string message)
        : this(MediaCacheError.Storage, message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MediaCacheException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public MediaCacheException(string message, Exception? innerException)
        : this(MediaCacheError.Storage, message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MediaCacheException"/> class.</summary>
    /// <param name="error">The kind of failure.</param>
    /// <param name="message">A message an app developer understands; never a signed URL's query. Control characters in it are written as <c>\uXXXX</c>.</param>
    /// <param name="innerException">The cause, if any.</param>
    public MediaCacheException(MediaCacheError error, string message, Exception? innerException = null)
        : base(OfflineMedia.Internal.SafeText.Escape(message), innerException) => Error = error; // Ids from the network: no raw control characters.

    /// <summary>Gets the kind of failure.</summary>
    public MediaCacheError Error { get; }

    /// <summary>Gets the key of the file, when the failure concerns one.</summary>
    public MediaKey? Key { get; init; }

    /// <summary>Gets the HTTP status the server answered, for <see cref="MediaCacheError.HttpStatus"/>.</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>Gets how long the server asked to wait before retrying (<c>Retry-After</c>), if it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets a value indicating whether trying again later may succeed (network, 408, 429 and 5xx).</summary>
    public bool IsTransient => Error switch
    {
        MediaCacheError.Network => true,
        MediaCacheError.HttpStatus => StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int?)StatusCode >= 500,
        _ => false,
    };
}
