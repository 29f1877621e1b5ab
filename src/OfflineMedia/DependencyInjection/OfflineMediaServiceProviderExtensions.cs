using OfflineMedia.Cache.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Starts the offline media SDK's preparation where no generic host starts it.</summary>
public static class OfflineMediaServiceProviderExtensions
{
    /// <summary>
    /// Opens the media cache in the background, as a generic host's start does, so the app's first screen finds it open
    /// (loading SQLite and opening the cache's index take tens of milliseconds the first time). Call it once the service
    /// provider is built where the app model runs no hosted services: in a MAUI app, on the <c>MauiApp</c>'s services in
    /// <c>CreateMauiApp</c>. It returns at once, and calling it again, or in a generic host, does nothing more.
    /// </summary>
    /// <remarks>
    /// An invalid option, or a cache folder that cannot be opened yet, is logged as a warning and not thrown here: the first
    /// use of the cache reports it, trying the open again. An app that registered its own
    /// <see cref="OfflineMedia.Cache.IMediaCache"/> has that cache created, and nothing more.
    /// </remarks>
    /// <param name="services">The service provider that <c>AddOfflineMedia</c> was registered in.</param>
    /// <exception cref="InvalidOperationException"><c>AddOfflineMedia</c> was not called on the provider's services.</exception>
    public static void WarmUpOfflineMedia(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var warmUp = services.GetService<CacheWarmUp>()
            ?? throw new InvalidOperationException("The offline media SDK is not registered in this service provider: call AddOfflineMedia on its services first.");
        warmUp.Start();
    }
}
