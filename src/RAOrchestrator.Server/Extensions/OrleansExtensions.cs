using System.Net;
using Azure.Data.Tables;
using Azure.Identity;
using Orleans.Configuration;
using RAOrchestrator.Grains;
using RAOrchestrator.Grains.Partners;
using RAOrchestrator.Server.Configuration;

namespace RAOrchestrator.Server.Extensions;

public static class OrleansExtensions
{
    /// <summary>
    /// The silo: Azure Table storage for membership, grain state and reminders (Azurite locally, the same providers),
    /// activity propagation so one trace runs from the RPC through the grains.
    /// </summary>
    public static WebApplicationBuilder AddOrleansSilo(this WebApplicationBuilder builder, ServerSettings settings)
    {
        var tables = CreateTableServiceClient(settings.Storage);
        builder.Services.AddSingleton(tables);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<PartnerOptions>(o =>
        {
            o.MaxTenants = settings.Partners.MaxTenants;
            o.MaxOperations = settings.Partners.MaxOperations;
        });

        builder.UseOrleans(silo =>
        {
            var cluster = settings.Cluster;
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort, cluster.ListenOnAnyHostAddress);
            silo.UseAzureStorageClustering(o => o.TableServiceClient = tables);
            silo.AddAzureTableGrainStorage(StorageNames.State, o => o.TableServiceClient = tables);
            silo.UseAzureTableReminderService(o => o.TableServiceClient = tables);
            silo.AddActivityPropagation();
        });
        return builder;
    }

    private static TableServiceClient CreateTableServiceClient(StorageOptions storage) =>
        !string.IsNullOrWhiteSpace(storage.ConnectionString)
            ? new TableServiceClient(storage.ConnectionString)
            : new TableServiceClient(new Uri(storage.TableServiceUri!), new DefaultAzureCredential());
}
