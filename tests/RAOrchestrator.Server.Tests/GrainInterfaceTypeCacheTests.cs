using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Serialization.TypeSystem;
using RAOrchestrator.Server.Extensions;

namespace RAOrchestrator.Server.Tests;

/// <summary>The host answers grain interface types from memory, and with exactly what Orleans itself would answer.</summary>
public sealed class GrainInterfaceTypeCacheTests
{
    private static readonly string[] Valid =
    [
        "--Auth:Issuer=https://issuer.test",
        "--Auth:SigningKey=" + Convert.ToBase64String(new byte[32]),
        "--Graph:ClientId=6c1f3e2a-8d4b-4f0e-9a7c-2b5d8e1f4a90",
        "--Graph:ClientSecret=not-used",
    ];

    [Fact]
    public async Task Every_grain_interface_resolves_as_orleans_alone_resolves_it()
    {
        await using var app = ServerApp.Build(Valid);
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
