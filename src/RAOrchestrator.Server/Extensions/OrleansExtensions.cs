using System.Net;
using System.Security.Cryptography.X509Certificates;
using Azure.Data.Tables;
using Azure.Identity;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using RAOrchestrator.Grains;
using RAOrchestrator.Grains.Bulk;
using RAOrchestrator.Grains.Partners;
using RAOrchestrator.Grains.Sessions;
using RAOrchestrator.Grains.Sessions.Storage;
using RAOrchestrator.Grains.Storage;
using RAOrchestrator.Grains.Tenants;
using RAOrchestrator.Server.Configuration;

namespace RAOrchestrator.Server.Extensions;

public static class OrleansExtensions
{
    /// <summary>
    /// The silo: Azure Table storage for membership, grain state, reminders and the sessions' delta log (Azurite locally,
    /// the same providers), activity propagation so one trace runs from the RPC through the grains (when traces are recorded).
    /// </summary>
    public static WebApplicationBuilder AddOrleansSilo(this WebApplicationBuilder builder, ServerSettings settings)
    {
        var tables = CreateTableServiceClient(settings.Storage);
        builder.Services.AddSingleton(tables);
        builder.Services.AddSingleton(TimeProvider.System);

        // Sessions keep a snapshot and one delta row a step in their own table (see TableSessionStore).
        builder.Services.AddSingleton<ISessionStore>(sp => new TableSessionStore(tables, sp.GetRequiredService<Serializer>()));

        // Bulk coordinators on this silo share its Graph write budget when they pace their accounts.
        builder.Services.AddSingleton<BulkAccountPacing>();
        builder.Services.Configure<PartnerOptions>(o =>
        {
            o.MaxTenants = settings.Partners.MaxTenants;
            o.MaxOperations = settings.Partners.MaxOperations;
            o.MaxRunningBulkOperations = settings.RateLimits.MaxRunningBulkOperationsPerPartner;
        });

        builder.Services.Configure<OwnershipOptions>(o =>
        {
            o.ClaimLifetime = settings.Ownership.ClaimLifetime;
            o.PreApproved = settings.Ownership.PreApproved;
        });

        builder.Services.Configure<SessionGateOptions>(o =>
        {
            o.GateUrl = settings.Sessions.GateUrl.Length > 0 ? settings.Sessions.GateUrl : settings.Web.PublicBase + Web.WebLinks.GatePath;
            o.InvitationKey = settings.Sessions.InvitationKey;
        });

        builder.UseOrleans(silo =>
        {
            var cluster = settings.Cluster;
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                var membership = cluster.Membership;
                o.ProbeTimeout = membership.ProbeTimeout;
                o.NumMissedProbesLimit = membership.NumMissedProbesLimit;
                o.NumVotesForDeathDeclaration = membership.NumVotesForDeathDeclaration;
                o.TableRefreshTimeout = membership.TableRefreshTimeout;
                o.IAmAliveTablePublishTimeout = membership.IAmAliveTablePublishTimeout;
            });
            silo.Configure<EndpointOptions>(o => ConfigureEndpoints(o, cluster));
            if (cluster.Tls.Enabled)
            {
                silo.UseClusterTls(cluster.Tls);
            }

            if (cluster.SiloName is { } siloName)
            {
                silo.Configure<SiloOptions>(o => o.SiloName = siloName);
            }

            silo.Services.Configure<HostOptions>(o => o.ShutdownTimeout = cluster.ShutdownTimeout);
            silo.UseAzureStorageClustering(o => o.TableServiceClient = tables);
            silo.AddAzureTableGrainStorage(StorageNames.StateTable, o => o.TableServiceClient = tables);

            // State is written with the Orleans serializer: exactly the [Id] members of [GenerateSerializer] types,
            // versioned by id, never computed properties (the default JSON writes those and cannot read them back).
            silo.Services.AddOptions<AzureTableStorageOptions>(StorageNames.StateTable)
                .Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new BoundedStorageSerializer(new OrleansGrainStorageSerializer(serializer)));

            // Grains write through LostAnswerStorage: a retried write that finds its own first attempt landed counts as written.
            silo.Services.AddGrainStorage(StorageNames.State, (sp, _) => LostAnswerStorage.Over(sp, StorageNames.StateTable));
            silo.UseAzureTableReminderService(o => o.TableServiceClient = tables);
            silo.AddIncomingGrainCallFilter<TenantOwnershipFilter>();
            if (settings.Telemetry.RecordsTraces)
            {
                // A client and a server span a grain call, under the RPC's: only when spans are recorded at all.
                silo.AddActivityPropagation();
            }

            // First of the interface-type providers, so it answers (from its memory) before Orleans' own are asked.
            silo.Services.Insert(0, ServiceDescriptor.Singleton<IGrainInterfaceTypeProvider, CachedGrainInterfaceTypes>());
        });
        return builder;
    }

    /// <summary>
    /// The silo port always; the gateway port only when Cluster:GatewayEnabled. Orleans' ConfigureEndpoints is not used:
    /// with listen-on-any and gateway port 0 it still sets a gateway listening endpoint (0.0.0.0:0), and Orleans then
    /// opens a gateway on a random port. Here a disabled gateway has no endpoint, so no gateway listener exists.
    /// </summary>
    internal static void ConfigureEndpoints(EndpointOptions options, SiloClusterOptions cluster)
    {
        options.AdvertisedIPAddress = IPAddress.Parse(cluster.AdvertisedAddress);
        options.SiloPort = cluster.SiloPort;
        options.SiloListeningEndpoint = cluster.ListenOnAnyHostAddress ? new IPEndPoint(IPAddress.Any, cluster.SiloPort) : null;
        options.GatewayPort = cluster.GatewayEnabled ? cluster.GatewayPort : 0;
        options.GatewayListeningEndpoint = cluster.GatewayEnabled && cluster.ListenOnAnyHostAddress ? new IPEndPoint(IPAddress.Any, cluster.GatewayPort) : null;
    }

    /// <summary>
    /// Mutual TLS on every silo connection, inbound and outbound (and the gateway's, when it is on): this silo presents
    /// the cluster certificate and requires the peer's; a peer is accepted only if its certificate's SHA-256 thumbprint
    /// is this silo's own or one of Cluster:Tls:AllowedThumbprints. The cluster certificate is self-issued by the
    /// operator, so chain and name errors are not what decides: the thumbprint is (nothing else is trusted).
    /// </summary>
    private static void UseClusterTls(this ISiloBuilder silo, SiloTlsOptions tls)
    {
        var certificate = tls.LoadCertificate();
        var trusted = tls.TrustedThumbprints(certificate);
        silo.UseTls(certificate, o =>
        {
            o.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            o.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            o.RemoteCertificateValidation = (remote, _, _) => IsTrusted(remote, trusted);
        });
    }

    internal static bool IsTrusted(X509Certificate2? remote, IReadOnlySet<string> trusted) =>
        remote is not null && trusted.Contains(SiloTlsOptions.Thumbprint(remote));

    /// <summary>
    /// Retries stay well inside Orleans' 30 s grain-call timeout, so an unreachable table surfaces as UNAVAILABLE
    /// within seconds instead of a caller's deadline running out.
    /// </summary>
    private static TableServiceClient CreateTableServiceClient(StorageOptions storage)
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 3;
        options.Retry.Mode = Azure.Core.RetryMode.Exponential;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        return !string.IsNullOrWhiteSpace(storage.ConnectionString)
            ? new TableServiceClient(storage.ConnectionString, options)
            : new TableServiceClient(new Uri(storage.TableServiceUri!), new DefaultAzureCredential(), options);
    }
}
