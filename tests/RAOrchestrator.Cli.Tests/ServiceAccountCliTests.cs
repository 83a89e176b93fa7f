using Google.Protobuf;
using RAOrchestrator.Cli.Tests.Infrastructure;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.GraphEmulator.SignIn;
using RAOrchestrator.GraphEmulator.State;

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

    [Fact]
    public async Task Create_provisions_an_active_account_with_its_vendor_contact_tenants_update_sets_the_mail_sender_and_bad_input_is_refused_by_field()
    {
        var tenant = await Tenants.OnboardAsync(fixture, _partner);
        var tenantId = tenant.Split('/')[1];
        using var cli = new CliRunner(fixture, fixture.Token(_partner));

        var created = await cli.RunAsync("service-accounts", "create", $"{tenantId}/erin-expert", "--upn", $"erin.expert@{Tenants.Domain(tenantId)}",
            "--display-name", "Erin Expert (OEM)", "--usage-location", "DE", "--vendor-email", "Erin@OEM.example", "-o", "json");
        Assert.True(created.ExitCode == ExitCodes.Ok, created.ToString());
        var account = JsonParser.Default.Parse<ServiceAccount>(created.Out);
        Assert.Equal((ServiceAccount.Types.State.Active, $"{tenant}/serviceAccounts/erin-expert", "erin@oem.example"), (account.State, account.Name, account.VendorContact.Email));

        var sender = await cli.RunAsync("tenants", "update", tenantId, "--mail-sender", $"remote-assist@{Tenants.Domain(tenantId)}", "-o", "json");
        Assert.True(sender.ExitCode == ExitCodes.Ok, sender.ToString());
        Assert.Equal($"remote-assist@{Tenants.Domain(tenantId)}", JsonParser.Default.Parse<Tenant>(sender.Out).MailSender);
        var nothing = await cli.RunAsync("tenants", "update", tenantId);
        Assert.Equal(ExitCodes.Usage, nothing.ExitCode);
        var outsideSender = await cli.RunAsync("tenants", "update", tenantId, "--mail-sender", "noreply@elsewhere.example");
        Assert.Contains("tenant.mail_sender", outsideSender.Error, StringComparison.Ordinal);

        var missing = await cli.RunAsync("service-accounts", "create", $"{tenantId}/no-upn", "--display-name", "No UPN");
        Assert.Equal(ExitCodes.Usage, missing.ExitCode);
        Assert.Contains("--upn", missing.Error, StringComparison.Ordinal);
        var outside = await cli.RunAsync("service-accounts", "create", $"{tenantId}/outside", "--upn", "someone@elsewhere.example", "--display-name", "Outside");
        Assert.NotEqual(ExitCodes.Ok, outside.ExitCode);
        Assert.Contains("service_account.user_principal_name", outside.Error, StringComparison.Ordinal);
    }
}

[Collection(CliCollection.Name)]
public sealed class SignInPassCliTests(CliFixture fixture)
{
    private readonly string _partner = Tenants.NewPartner();

    [Fact]
    public async Task Issue_pass_with_show_prints_a_pass_that_signs_in_with_a_warning_and_delivery_is_the_default_with_its_refusals_explained()
    {
        var tenant = await Tenants.OnboardAsync(fixture, _partner);
        var tenantId = tenant.Split('/')[1];
        using var api = fixture.Api(_partner);
        var upn = $"pass-vendor@{Tenants.Domain(tenantId)}";
        await api.ServiceAccounts.CreateServiceAccountAsync(new CreateServiceAccountRequest
        {
            Parent = tenant,
            ServiceAccountId = "pass-vendor",
            ServiceAccount = new ServiceAccount { DisplayName = "Pass vendor", UserPrincipalName = upn, UsageLocation = "DE" },
        });
        lock (fixture.Emulator.State.Sync)
        {
            fixture.Emulator.State.Tenants[tenantId].TemporaryAccessPassPolicy = new TemporaryAccessPassPolicyData { State = "enabled" };
        }

        using var cli = new CliRunner(fixture, fixture.Token(_partner));

        var issued = await cli.RunAsync("service-accounts", "issue-pass", $"{tenantId}/pass-vendor", "--lifetime", "2h", "--reusable", "--show", "-o", "json");
        Assert.True(issued.ExitCode == ExitCodes.Ok, issued.ToString());
        var response = JsonParser.Default.Parse<IssueSignInPassResponse>(issued.Out);
        Assert.Equal((upn, false), (response.UserPrincipalName, response.UsableOnce));
        Assert.Equal(TimeSpan.FromHours(2), response.ExpireTime.ToDateTimeOffset() - response.IssueTime.ToDateTimeOffset());
        Assert.Contains("shown once", issued.Error, StringComparison.Ordinal);
        Assert.NotNull(UserCredentials.Check(fixture.Emulator.State, fixture.Emulator.State.Tenants[tenantId], upn, response.Pass, fixture.Emulator.Options).User);

        var table = await cli.RunAsync("service-accounts", "issue-pass", $"{tenantId}/pass-vendor", "--show");
        Assert.True(table.ExitCode == ExitCodes.Ok, table.ToString());
        Assert.Contains(upn, table.Out, StringComparison.Ordinal);

        // Without --show the pass is mailed: this account has no vendor contact, and the CLI says what to do.
        var mail = await cli.RunAsync("service-accounts", "issue-pass", $"{tenantId}/pass-vendor");
        Assert.NotEqual(ExitCodes.Ok, mail.ExitCode);
        Assert.Contains("VENDOR_CONTACT_MISSING", mail.Error, StringComparison.Ordinal);
        Assert.Contains("--show", mail.Error, StringComparison.Ordinal);
        var deliver = await cli.RunAsync("service-accounts", "issue-pass", $"{tenantId}/pass-vendor", "--deliver");
        Assert.Contains("VENDOR_CONTACT_MISSING", deliver.Error, StringComparison.Ordinal);

        var both = await cli.RunAsync("service-accounts", "issue-pass", $"{tenantId}/pass-vendor", "--deliver", "--show");
        Assert.Equal(ExitCodes.Usage, both.ExitCode);
        Assert.Contains("Choose one of --deliver", both.Error, StringComparison.Ordinal);

        var badLifetime = await cli.RunAsync("service-accounts", "issue-pass", $"{tenantId}/pass-vendor", "--lifetime", "2 weeks", "--show");
        Assert.Equal(ExitCodes.Usage, badLifetime.ExitCode);
        Assert.Contains("--lifetime", badLifetime.Error, StringComparison.Ordinal);
    }
}
