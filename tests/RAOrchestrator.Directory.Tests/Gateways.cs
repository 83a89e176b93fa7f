using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using RAOrchestrator.Directory.Throttling;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.GraphEmulator.State;

namespace RAOrchestrator.Directory.Tests;

/// <summary>Test tenants in the emulator and a gateway pointed at it through the real SDK and Azure.Identity.</summary>
public static class Gateways
{
    public const string AppId = "11111111-aaaa-4bbb-8ccc-000000000001";
    public const string AppSecret = "test-app-secret";
    public const string Customer = "22222222-0000-4000-8000-00000000000a";
    public const string NoConsent = "22222222-0000-4000-8000-00000000000b";
    public const string NoPolicy = "22222222-0000-4000-8000-00000000000c";
    public const string NoPolicyOrganizerId = "44444444-0000-4000-8000-000000000002";
    public const string Domain = "customer.example";
    public static readonly Guid RemoteAssist = Guid.Parse("7a551360-26c4-4f61-84e6-ef715673e083");
    public static readonly Guid E5 = Guid.Parse("06ebc4ee-1bb5-47dd-8120-11324bc54e06");
    public static readonly Guid Exclusive = Guid.Parse("33333333-0000-4000-8000-00000000000c");
    public const string OrganizerId = "44444444-0000-4000-8000-000000000001";

    public static EmulatorData Data(int remoteAssistSeats = 500) => new()
    {
        Apps = [new AppRegistrationData { ClientId = AppId, ClientSecret = AppSecret, DisplayName = "MSP app" }],
        Tenants =
        [
            new TenantData
            {
                Id = Customer,
                DisplayName = "Customer",
                Domains = [new DomainData { Name = Domain, IsDefault = true, IsInitial = true }],
                ConsentedApps = [AppId],
                ApplicationAccessPolicyApps = [AppId],
                Skus =
                [
                    new SkuData { SkuId = RemoteAssist, SkuPartNumber = "DYN365_REMOTE_ASSIST", Enabled = remoteAssistSeats },
                    new SkuData { SkuId = E5, SkuPartNumber = "SPE_E5", Enabled = 1 },
                    new SkuData { SkuId = Exclusive, SkuPartNumber = "EXCLUSIVE_WITH_RA", Enabled = 10 },
                ],
                MutuallyExclusiveSkus = [[RemoteAssist.ToString(), Exclusive.ToString()]],
                Users =
                [
                    new JsonObject
                    {
                        ["id"] = OrganizerId,
                        ["displayName"] = "Hanna HoloLens",
                        ["userPrincipalName"] = $"hanna@{Domain}",
                        ["mailNickname"] = "hanna",
                        ["mail"] = $"hanna@{Domain}",
                        ["usageLocation"] = "US",
                        ["accountEnabled"] = true,
                    },
                ],
            },
            new TenantData
            {
                Id = NoPolicy,
                DisplayName = "No application access policy",
                Domains = [new DomainData { Name = "nopolicy.example", IsDefault = true, IsInitial = true }],
                ConsentedApps = [AppId],
                Users = [new JsonObject { ["id"] = NoPolicyOrganizerId, ["displayName"] = "Olga", ["userPrincipalName"] = "olga@nopolicy.example", ["mailNickname"] = "olga", ["usageLocation"] = "DE" }],
            },
            new TenantData
            {
                Id = NoConsent,
                DisplayName = "No consent",
                Domains = [new DomainData { Name = "noconsent.example", IsDefault = true, IsInitial = true }],
            },
        ],
    };

    public static Task<GraphEmulatorServer> StartEmulatorAsync(EmulatorData? data = null, ThrottlingSettings? throttling = null, FaultSettings? faults = null) =>
        GraphEmulatorServer.StartAsync(new GraphEmulatorOptions
        {
            Data = data ?? Data(),
            Throttling = throttling ?? new ThrottlingSettings(),
            Faults = faults ?? new FaultSettings(),
        });

    public static (GraphDirectoryGateway Gateway, GraphRateGovernor Governor, TenantGraphClients Clients) For(GraphEmulatorServer emulator, GraphBudgetOptions? budgets = null, Action<GraphOptions>? configure = null,
        Microsoft.Extensions.Logging.ILoggerFactory? logs = null)
    {
        var options = new GraphOptions
        {
            AuthorityHost = emulator.BaseAddress.ToString(),
            BaseUrl = emulator.GraphBaseUrl,
            ClientId = AppId,
            ClientSecret = AppSecret,
            PinnedCertificateSha256 = emulator.CertificateSha256Thumbprint,
            Budgets = budgets ?? new GraphBudgetOptions(),
        };
        configure?.Invoke(options);
        var governor = new GraphRateGovernor(options.Budgets, TimeProvider.System);
        var clients = new TenantGraphClients(options, governor, TimeProvider.System, logs ?? NullLoggerFactory.Instance);
        return (new GraphDirectoryGateway(clients, governor, TimeProvider.System), governor, clients);
    }

    public static Domain.Directory.NewDirectoryUser NewUser(string nickname, string usageLocation = "US") =>
        new($"{nickname}@{Domain}", $"Vendor {nickname}", nickname, usageLocation, new Dictionary<string, string> { ["companyName"] = "OEM Ltd", ["department"] = "Vendors" });
}
