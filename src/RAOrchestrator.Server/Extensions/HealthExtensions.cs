using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using RAOrchestrator.Server.Configuration;
using RAOrchestrator.Server.Health;

namespace RAOrchestrator.Server.Extensions;

public static class HealthExtensions
{
    private const string Ready = "ready";

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder, HealthOptions options)
    {
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        builder.Services.AddSingleton<StorageProbe>();
        builder.Services.AddHostedService<StorageProbeService>();
        builder.Services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", tags: [Ready])
            .AddCheck<SiloHealthCheck>("silo", tags: [Ready]);
        builder.Services.AddGrpcHealthChecks(o => o.Services.Map(string.Empty, r => r.Tags.Contains(Ready)));
        return builder;
    }

    /// <summary>/health/live never touches storage; /health/ready does. Both are mapped in every environment.</summary>
    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = r => r.Tags.Contains(Ready) });
        app.MapGrpcHealthChecksService();
        return app;
    }
}
