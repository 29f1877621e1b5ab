using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OfflineMedia.Profiles;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs platform adapters into the offline media SDK; returned by <c>AddOfflineMedia</c>.</summary>
public sealed class OfflineMediaBuilder
{
    internal OfflineMediaBuilder(IServiceCollection services) => Services = services;

    /// <summary>Gets the service collection the SDK is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Uses <typeparamref name="TProbe"/> to read the display, instead of the default (no display: a desktop).</summary>
    /// <typeparam name="TProbe">The platform's display probe.</typeparam>
    /// <returns>This builder.</returns>
    public OfflineMediaBuilder UseDisplayProbe<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TProbe>()
        where TProbe : class, IDisplayProbe => Use<IDisplayProbe, TProbe>();

    /// <summary>Uses <paramref name="probe"/> to read the display.</summary>
    /// <param name="probe">The display probe.</param>
    /// <returns>This builder.</returns>
    public OfflineMediaBuilder UseDisplayProbe(IDisplayProbe probe) => Use(probe);

    /// <summary>Uses <typeparamref name="TProbe"/> to read free storage, instead of the drive that holds the cache folder.</summary>
    /// <typeparam name="TProbe">The platform's storage probe.</typeparam>
    /// <returns>This builder.</returns>
    public OfflineMediaBuilder UseStorageProbe<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TProbe>()
        where TProbe : class, IStorageProbe => Use<IStorageProbe, TProbe>();

    /// <summary>Uses <paramref name="probe"/> to read free storage.</summary>
    /// <param name="probe">The storage probe.</param>
    /// <returns>This builder.</returns>
    public OfflineMediaBuilder UseStorageProbe(IStorageProbe probe) => Use(probe);

    /// <summary>Uses <typeparamref name="TProbe"/> to read the network, instead of <c>System.Net.NetworkInformation</c>.</summary>
    /// <typeparam name="TProbe">The platform's connectivity probe.</typeparam>
    /// <returns>This builder.</returns>
    public OfflineMediaBuilder UseConnectivityProbe<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TProbe>()
        where TProbe : class, IConnectivityProbe => Use<IConnectivityProbe, TProbe>();

    /// <summary>Uses <paramref name="probe"/> to read the network.</summary>
    /// <param name="probe">The connectivity probe.</param>
    /// <returns>This builder.</returns>
    public OfflineMediaBuilder UseConnectivityProbe(IConnectivityProbe probe) => Use(probe);

    private OfflineMediaBuilder Use<TService, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>()
        where TService : class
        where TImplementation : class, TService
    {
        // An explicit Use* call is the app's choice: it replaces the default (or an earlier choice).
        Services.Replace(ServiceDescriptor.Singleton<TService, TImplementation>());
        return this;
    }

    private OfflineMediaBuilder Use<TService>(TService instance)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(instance);
        Services.Replace(ServiceDescriptor.Singleton(instance));
        return this;
    }
}
