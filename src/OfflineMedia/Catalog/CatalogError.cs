namespace OfflineMedia.Catalog;

/// <summary>Why the catalog could not answer.</summary>
public enum CatalogError
{
    /// <summary>No workout or exercise has that id (404).</summary>
    NotFound,

    /// <summary>The server answered with an error status; see <see cref="CatalogException.StatusCode"/>.</summary>
    HttpStatus,

    /// <summary>The connection failed or the server did not answer in time.</summary>
    Network,

    /// <summary>The answer is not what the contract says: malformed JSON, wrong types, missing fields, or too large.</summary>
    InvalidResponse,

    /// <summary>No usable API base address is configured.</summary>
    NotConfigured,
}
