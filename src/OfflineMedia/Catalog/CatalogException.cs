using System.Net;

namespace OfflineMedia.Catalog;

/// <summary>The workout catalog or the media API could not answer.</summary>
public sealed class CatalogException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="CatalogException"/> class.</summary>
    public CatalogException()
        : this(CatalogError.InvalidResponse, "The catalog could not answer.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CatalogException"/> class.</summary>
    /// <param name="message">The message.</param>
    public CatalogException(string message)
        : this(CatalogError.InvalidResponse, message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CatalogException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CatalogException(string message, Exception? innerException)
        : this(CatalogError.InvalidResponse, message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CatalogException"/> class.</summary>
    /// <param name="error">The kind of failure.</param>
    /// <param name="message">A message an app developer understands; control characters in it are written as <c>\uXXXX</c>.</param>
    /// <param name="innerException">The cause, if any.</param>
    public CatalogException(CatalogError error, string message, Exception? innerException = null)
        : base(OfflineMedia.Internal.SafeText.Escape(message), innerException) => Error = error; // Ids from the network: no raw control characters.

    /// <summary>Gets the kind of failure.</summary>
    public CatalogError Error { get; }

    /// <summary>Gets the HTTP status the server answered, if any.</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>Gets how long the server asked to wait before retrying (<c>Retry-After</c>), if it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets a value indicating whether trying again later may succeed (network, 408, 429 and 5xx).</summary>
    public bool IsTransient => Error switch
    {
        CatalogError.Network => true,
        CatalogError.HttpStatus => StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int?)StatusCode >= 500,
        _ => false,
    };
}
