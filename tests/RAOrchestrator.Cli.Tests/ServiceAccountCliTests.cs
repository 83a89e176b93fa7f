using Google.Protobuf;
using RAOrchestrator.Cli.Tests.Infrastructure;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class ServiceAccountCliTests(CliFixture fixture)
{
    private readonly string _partner = Tenants.NewPartner();

    [Fact]
    public async Task Service_accounts_and_licence_seats_read_as_the_api_provisioned_them()
    {
        var tenant = await Tenants.OnboardAsync(fixture, _partner);
        using var api = fixture.Api(_partner);
        var account = (await api.ServiceAccounts.CreateServiceAccountAsync(new CreateServiceAccountRequest
        {
            Parent = tenant,
            ServiceAccountId = "oem-vendor",
            ServiceAccount = new ServiceAccount
            {
                DisplayName = "OEM vendor",
                UserPrincipalName = $"oem-vendor@{Tenants.Domain(tenant.Split('/')[1])}",
                UsageLocation = "DE",
            },
        })).ServiceAccount;
        Assert.Equal(ServiceAccount.Types.State.Active, account.State);
        using var cli = new CliRunner(fixture, fixture.Token(_partner));

        var list = await cli.RunAsync("service-accounts", "list", tenant);
        var get = await cli.RunAsync("service-accounts", "get", $"{tenant.Split('/')[1]}/oem-vendor", "-o", "json");
        var seats = await cli.RunAsync("licences", tenant, "-o", "json");
        var table = await cli.RunAsync("licenses", tenant);

        Assert.True(list.ExitCode == ExitCodes.Ok, list.ToString());
        Assert.Matches(@$"{account.Name}\s*│\s*OEM vendor\s*│\s*oem-vendor@\S+\s*│\s*active\s*│\s*DE", list.Out);
        Assert.True(get.ExitCode == ExitCodes.Ok, get.ToString());
        Assert.Equal(account, JsonParser.Default.Parse<ServiceAccount>(get.Out));
        Assert.True(seats.ExitCode == ExitCodes.Ok, seats.ToString());
        var expected = await api.ServiceAccounts.GetLicenseSummaryAsync(new GetLicenseSummaryRequest { Parent = tenant });
        Assert.Equal(expected, JsonParser.Default.Parse<GetLicenseSummaryResponse>(seats.Out));
        var remoteAssist = expected.Skus.Single(s => s.PartNumber == "DYN365_REMOTE_ASSIST");
        Assert.Matches(@$"DYN365_REMOTE_ASSIST\s*│\s*{remoteAssist.Enabled}\s*│\s*{remoteAssist.Consumed}\s*│\s*{remoteAssist.Reserved}\s*│\s*{remoteAssist.Available}\s*│", table.Out);
        Assert.Equal(1, remoteAssist.Consumed + remoteAssist.Reserved);
    }
}
