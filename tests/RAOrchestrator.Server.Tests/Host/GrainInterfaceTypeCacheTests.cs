using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Serialization.TypeSystem;
using RAOrchestrator.Server.Extensions;

using RAOrchestrator.Server.Tests.Infrastructure;

namespace RAOrchestrator.Server.Tests;

/// <summary>The host answers grain interface types from memory, and with exactly what Orleans itself would answer.</summary>
public sealed class GrainInterfaceTypeCacheTests
{
    [Fact]
    public async Task Every_grain_interface_resolves_as_orleans_alone_resolves_it()
    {
        await using var app = ServerApp.Build(MinimalHostArgs.Valid);
        var services = app.Services;
        var providers = services.GetServices<IGrainInterfaceTypeProvider>().ToArray();
        var orleansAlone = new GrainInterfaceTypeResolver(providers.Where(p => p is not CachedGrainInterfaceTypes), services.GetRequiredService<TypeConverter>());
        var host = services.GetRequiredService<GrainInterfaceTypeResolver>();
        var interfaces = typeof(RAOrchestrator.Abstractions.Sessions.ISessionGrain).Assembly.GetTypes()
            .Where(t => t.IsInterface && typeof(IGrain).IsAssignableFrom(t) && !t.ContainsGenericParameters)
            .ToArray();

        Assert.IsType<CachedGrainInterfaceTypes>(providers[0]);
        Assert.True(interfaces.Length >= 5, $"only {interfaces.Length} grain interfaces found");
        foreach (var type in interfaces)
        {
            Assert.Equal(orleansAlone.GetGrainInterfaceType(type), host.GetGrainInterfaceType(type));
            Assert.Equal(orleansAlone.GetGrainInterfaceType(type), host.GetGrainInterfaceType(type));
        }
    }
}
