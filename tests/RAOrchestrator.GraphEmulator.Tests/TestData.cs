using System.Text.Json.Nodes;
using RAOrchestrator.GraphEmulator.State;

namespace RAOrchestrator.GraphEmulator.Tests;

/// <summary>Tenants and apps built in code for the tests.</summary>
public static class TestData
{
    public const string AppId = "aaaaaaaa-0000-4000-8000-000000000001";
    public const string AppSecret = "test-app-secret";
    public const string TenantA = "11111111-1111-4111-8111-111111111111";
    public const string TenantNoConsent = "22222222-2222-4222-8222-222222222222";
    public const string TenantNoPolicy = "33333333-3333-4333-8333-333333333333";
    public const string DomainA = "companyabc.test";
    public const string OrganizerA = "organizer@companyabc.test";
    public static readonly Guid RemoteAssist = Guid.Parse("7a551360-26c4-4f61-84e6-ef715673e083");
    public static readonly Guid E5 = Guid.Parse("06ebc4ee-1bb5-47dd-8120-11324bc54e06");
    public static readonly Guid ExchangeStandard = Guid.Parse("4b9405b0-7788-4568-add1-99614e613b69");
    public const string PartnerClientId = "pppppppp-0000-4000-8000-000000000001";
    public const string PartnerSecret = "partner-secret";

    public static EmulatorData Build() => new()
    {
        Apps = [new AppRegistrationData { ClientId = AppId, ClientSecret = AppSecret, DisplayName = "Test MSP app" }],
        PartnerClients =
        [
            new PartnerClientData
            {
                ClientId = PartnerClientId, ClientSecret = PartnerSecret, PartnerId = "contoso-msp",
                Roles = ["RAOrchestrator.Read", "RAOrchestrator.Write"],
            },
        ],
        Tenants =
        [
            new TenantData
            {
                Id = TenantA,
                DisplayName = "Company ABC",
                Domains =
                [
                    new DomainData { Name = "companyabc.onmicrosoft.com", IsInitial = true },
                    new DomainData { Name = DomainA, IsDefault = true },
                ],
                ConsentedApps = [AppId],
                ApplicationAccessPolicyApps = [AppId],
                Skus =
                [
                    new SkuData { SkuId = RemoteAssist, SkuPartNumber = "DYN365_REMOTE_ASSIST", Enabled = 2 },
                    new SkuData
                    {
                        SkuId = E5, SkuPartNumber = "SPE_E5", Enabled = 100,
                        ServicePlans = [new ServicePlanData { ServicePlanId = Guid.Parse("efb87545-963c-4e0d-99df-69c6916d9eb0"), ServicePlanName = "EXCHANGE_S_ENTERPRISE" }],
                    },
                    new SkuData
                    {
                        SkuId = ExchangeStandard, SkuPartNumber = "EXCHANGESTANDARD", Enabled = 5,
                        ServicePlans = [new ServicePlanData { ServicePlanId = Guid.Parse("9aaf7827-d63c-4b61-89c3-182f06f82e5c"), ServicePlanName = "EXCHANGE_S_STANDARD" }],
                    },
                ],
                MutuallyExclusiveSkus = [["EXCHANGESTANDARD", "SPE_E5"]],
                Users =
                [
                    new JsonObject
                    {
                        ["id"] = "0a000000-0000-4000-8000-000000000001",
                        ["displayName"] = "Olga Organizer",
                        ["userPrincipalName"] = OrganizerA,
                        ["mail"] = OrganizerA,
                        ["mailNickname"] = "organizer",
                        ["usageLocation"] = "DE",
                        ["department"] = "Field Service",
                    },
                ],
                Groups = [new GroupData { Id = "0b000000-0000-4000-8000-000000000001", DisplayName = "Technicians", Members = [OrganizerA] }],
            },
            new TenantData
            {
                Id = TenantNoConsent,
                DisplayName = "No Consent Ltd",
                Domains = [new DomainData { Name = "noconsent.onmicrosoft.com", IsDefault = true, IsInitial = true }],
            },
            new TenantData
            {
                Id = TenantNoPolicy,
                DisplayName = "No Policy GmbH",
                Domains = [new DomainData { Name = "nopolicy.onmicrosoft.com", IsDefault = true, IsInitial = true }],
                ConsentedApps = [AppId],
                Users =
                [
                    new JsonObject
                    {
                        ["displayName"] = "Paul Policyless",
                        ["userPrincipalName"] = "paul@nopolicy.onmicrosoft.com",
                        ["mailNickname"] = "paul",
                    },
                ],
            },
        ],
    };

    /// <summary>A calendar event on 1 December 2026, 09:00-10:00 UTC, with a Teams meeting.</summary>
    public static Microsoft.Graph.Models.Event TeamsEvent(string subject, params Microsoft.Graph.Models.Attendee[] attendees) => new()
    {
        Subject = subject,
        Start = new Microsoft.Graph.Models.DateTimeTimeZone { DateTime = "2026-12-01T09:00:00", TimeZone = "UTC" },
        End = new Microsoft.Graph.Models.DateTimeTimeZone { DateTime = "2026-12-01T10:00:00", TimeZone = "UTC" },
        Attendees = [.. attendees],
        IsOnlineMeeting = true,
        OnlineMeetingProvider = Microsoft.Graph.Models.OnlineMeetingProviderType.TeamsForBusiness,
    };

    public static GraphEmulatorOptions Options(Action<GraphEmulatorOptions>? configure = null)
    {
        var o = new GraphEmulatorOptions { Data = Build() };
        configure?.Invoke(o);
        return o;
    }
}

/// <summary>One emulator per test class.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public GraphEmulatorServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await GraphEmulatorServer.StartAsync(TestData.Options());

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
