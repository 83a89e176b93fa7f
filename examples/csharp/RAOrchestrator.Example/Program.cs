// Onboards a customer tenant, waits for its onboarding, provisions a vendor service account and prints the licence
// seats, through RAOrchestrator.Client.
//
//   dotnet run --project examples/csharp/RAOrchestrator.Example -- <entra tenant id>
//
// Settings come from the environment, as for raorch: RAORCH_ADDRESS (default http://127.0.0.1:5080, the address
// scripts/run.sh serves; dns:///host:port balances over every address of the name), RAORCH_TOKEN (a partner token:
// scripts/partner-token.sh), RAORCH_CERT_SHA256 (optional pin).
using Grpc.Core;
using RAOrchestrator.Client;
using RAOrchestrator.Contracts.V1;

if (args.Length != 1 || Environment.GetEnvironmentVariable("RAORCH_TOKEN") is not { Length: > 0 } token)
{
    Console.Error.WriteLine("usage: RAORCH_TOKEN=<partner token> RAOrchestrator.Example <entra tenant id>");
    return 2;
}

using var api = RAOrchestratorClient.Create(
    Environment.GetEnvironmentVariable("RAORCH_ADDRESS") ?? "http://127.0.0.1:5080",
    new StaticTokenProvider(token),
    Environment.GetEnvironmentVariable("RAORCH_CERT_SHA256"));

try
{
    var created = await api.Tenants.CreateTenantAsync(new CreateTenantRequest
    {
        RequestId = Guid.NewGuid().ToString(),
        TenantId = args[0],
        Tenant = new Tenant
        {
            DisplayName = "Contoso Manufacturing",
            MeetingSettings = new MeetingSettings
            {
                AnonymousJoin = MeetingSettings.Types.Switch.On,
                OrganizerAnonymousJoin = MeetingSettings.Types.Switch.On,
                AutoAdmittedUsers = MeetingSettings.Types.AutoAdmittedUsers.EveryoneInCompany,
                LobbyBypass = MeetingSettings.Types.LobbyBypass.Organizer,
            },
        },
    });
    if (created.Tenant.State == Tenant.Types.State.AwaitingApproval)
    {
        // Nothing happens in the customer's directory until one of its administrators approves this partner.
        Console.WriteLine($"approval needed: send {created.Tenant.ApprovalUri} to an administrator of the tenant; waiting");
    }

    var onboarding = await api.Operations.WatchUntilDoneAsync(created.Operation.Name, o => Console.WriteLine($"{o.Name}: {o.State} {o.ProgressPercent} %"));
    if (onboarding.State != Operation.Types.State.Succeeded)
    {
        Console.Error.WriteLine($"Onboarding ended {onboarding.State}: {onboarding.Error?.Reason} {onboarding.Error?.Message}");
        return 1;
    }

    var tenant = (await api.Tenants.GetTenantAsync(new GetTenantRequest { Name = created.Tenant.Name })).Tenant;
    var account = (await api.ServiceAccounts.CreateServiceAccountAsync(new CreateServiceAccountRequest
    {
        RequestId = Guid.NewGuid().ToString(),
        Parent = tenant.Name,
        ServiceAccountId = "vendor-expert",
        ServiceAccount = new ServiceAccount
        {
            DisplayName = "Vendor expert",
            UserPrincipalName = "vendor-expert@" + tenant.VerifiedDomains[0],
            UsageLocation = "DE",
        },
    })).ServiceAccount;
    Console.WriteLine($"{account.Name}: {account.State} ({account.UserPrincipalName})");

    foreach (var sku in (await api.ServiceAccounts.GetLicenseSummaryAsync(new GetLicenseSummaryRequest { Parent = tenant.Name })).Skus)
    {
        Console.WriteLine($"{sku.PartNumber}: {sku.Available} of {sku.Enabled} seats available ({sku.Reserved} reserved)");
    }

    return 0;
}
catch (RpcException ex)
{
    // Every error of the service carries a reason, and invalid input names each field.
    var error = RpcErrorDetails.From(ex);
    Console.Error.WriteLine($"{error.Code} {error.Reason}: {error.Message}");
    foreach (var violation in error.FieldViolations)
    {
        Console.Error.WriteLine($"  {violation.Field}: {violation.Description}");
    }

    return 1;
}
