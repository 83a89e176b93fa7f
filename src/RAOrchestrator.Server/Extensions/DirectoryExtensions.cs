using RAOrchestrator.Directory;
using RAOrchestrator.Directory.Throttling;
using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.Mail;
using RAOrchestrator.Domain.SignInPasses;

namespace RAOrchestrator.Server.Extensions;

public static class DirectoryExtensions
{
    /// <summary>
    /// The Graph gateway: one governor per silo whose budgets are this silo's share of the app's (the published
    /// limits divided by the active silos), the per-tenant SDK clients, and the gateway grains call.
    /// </summary>
    public static WebApplicationBuilder AddGraphGateway(this WebApplicationBuilder builder, GraphOptions graph)
    {
        builder.Services.AddSingleton(graph);
        builder.Services.AddSingleton(new MspApp(graph.ClientId!));
        builder.Services.AddSingleton(sp =>
        {
            var oracle = new Lazy<ISiloStatusOracle>(sp.GetRequiredService<ISiloStatusOracle>);
            return new GraphRateGovernor(graph.Budgets, sp.GetRequiredService<TimeProvider>(),
                () => Math.Max(1, oracle.Value.GetApproximateSiloStatuses(onlyActive: true).Count));
        });
        builder.Services.AddSingleton<IDirectoryWriteBudget>(sp => sp.GetRequiredService<GraphRateGovernor>());
        builder.Services.AddSingleton<TenantGraphClients>();
        builder.Services.AddSingleton<GraphDirectoryGateway>();
        builder.Services.AddSingleton<IDirectoryGateway>(sp => sp.GetRequiredService<GraphDirectoryGateway>());
        builder.Services.AddSingleton<ISignInPassGateway>(sp => sp.GetRequiredService<GraphDirectoryGateway>());
        builder.Services.AddSingleton<IMailGateway>(sp => sp.GetRequiredService<GraphDirectoryGateway>());
        return builder;
    }
}
