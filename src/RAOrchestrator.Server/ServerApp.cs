using Grpc.AspNetCore.Server;
using RAOrchestrator.Server.Configuration;
using RAOrchestrator.Server.Extensions;
using RAOrchestrator.Server.Grpc;

namespace RAOrchestrator.Server;

/// <summary>Builds the host: one process with the Orleans silo and the gRPC API. Program and tests both use it.</summary>
public static class ServerApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // appsettings.json ships next to the binary; read it from there whatever the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);

        var settings = ServerSettings.Read(builder.Configuration);
        if (settings.Validate(builder.Environment) is { Count: > 0 } errors)
        {
            throw new InvalidConfigurationException(errors);
        }

        // Before anything runs on the pool: a host on one CPU starts with a single worker thread otherwise.
        settings.Runtime.Apply();

        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.Section));
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(settings.RateLimits));
        builder
            .AddApiEndpoints(settings.Api, settings.Web)
            .AddWebPages(settings.Web)
            .AddOrleansSilo(settings)
            .AddGraphGateway(settings.Graph)
            .AddPartnerAuthentication(settings.Auth)
            .AddTelemetry(settings.Telemetry)
            .AddHealth(settings.Health);

        var limits = new MessageLimits(settings.Api);
        builder.Services.AddSingleton(limits);
        limits.Configure(builder.Services.AddGrpc(grpc => ConfigureGrpc(grpc, settings.Api)));
        builder.Services.AddGrpcReflection();
        AddStatelessHandlers(builder.Services);

        var app = builder.Build();
        app.MapPrometheusMetrics(settings.Telemetry, settings.Api);
        app.UseMiddleware<RequestEdgeMiddleware>();
        app.MapGrpcService<TenantGrpcService>();
        app.MapGrpcService<OperationGrpcService>();
        app.MapGrpcService<BulkOnboardingGrpcService>();
        app.MapGrpcService<BarrierGrpcService>();
        app.MapGrpcService<DirectoryGrpcService>();
        app.MapGrpcService<ServiceAccountGrpcService>();
        app.MapGrpcService<SessionGrpcService>();
        app.MapGrpcReflectionService();
        app.MapHealth();
        app.MapWebPages(settings.Web);
        return app;
    }

    /// <summary>
    /// The services and interceptors hold nothing per call (only singletons such as the grain factory), so one instance
    /// of each serves every call: Grpc.AspNetCore resolves a type registered in DI from it instead of constructing and
    /// disposing one per call.
    /// </summary>
    private static void AddStatelessHandlers(IServiceCollection services)
    {
        services.AddSingleton<PartnerRequestRate>();
        services.AddSingleton<PartnerStreams>();
        services.AddSingleton<PartnerAuthorization>();
        services.AddSingleton<ErrorStatusMapping>();
        services.AddSingleton<ApiInterceptor>();
        services.AddSingleton<TenantGrpcService>();
        services.AddSingleton<OperationGrpcService>();
        services.AddSingleton<BulkOnboardingGrpcService>();
        services.AddSingleton<BarrierGrpcService>();
        services.AddSingleton<DirectoryGrpcService>();
        services.AddSingleton<ServiceAccountGrpcService>();
        services.AddSingleton<SessionGrpcService>();
    }

    private static void ConfigureGrpc(GrpcServiceOptions grpc, ApiOptions api)
    {
        grpc.MaxReceiveMessageSize = api.MaxReceiveMessageBytes;
        grpc.EnableDetailedErrors = false;
        grpc.Interceptors.Add<ApiInterceptor>();
    }
}
