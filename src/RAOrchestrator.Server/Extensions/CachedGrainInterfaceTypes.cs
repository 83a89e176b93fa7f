using System.Collections.Concurrent;
using Orleans.Metadata;
using Orleans.Serialization.TypeSystem;

namespace RAOrchestrator.Server.Extensions;

/// <summary>
/// Answers, once per grain interface, what Orleans would answer for it. Orleans resolves the interface of every
/// <c>GetGrain&lt;T&gt;(key)</c> call afresh (its attribute provider reads the interface's custom attributes by
/// reflection each time); an RPC that calls a grain paid that on every call. Registered ahead of Orleans' own
/// providers, it asks them (and Orleans' naming convention) the first time and remembers the result, which depends
/// only on the type.
/// </summary>
public sealed class CachedGrainInterfaceTypes(IServiceProvider services) : IGrainInterfaceTypeProvider
{
    private readonly ConcurrentDictionary<Type, GrainInterfaceType> _known = new();
    private GrainInterfaceTypeResolver? _orleans;

    public bool TryGetGrainInterfaceType(Type type, out GrainInterfaceType grainInterfaceType)
    {
        grainInterfaceType = _known.GetOrAdd(type, static (t, self) => self.Orleans().GetGrainInterfaceType(t), this);
        return true;
    }

    /// <summary>Orleans' resolver over every other provider, built on first use (after the container is complete).</summary>
    private GrainInterfaceTypeResolver Orleans() => _orleans ??= new GrainInterfaceTypeResolver(
        services.GetServices<IGrainInterfaceTypeProvider>().Where(p => !ReferenceEquals(p, this)),
        services.GetRequiredService<TypeConverter>());
}
