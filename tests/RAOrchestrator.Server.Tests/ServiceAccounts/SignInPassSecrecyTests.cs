using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;
using static RAOrchestrator.Server.Tests.Infrastructure.SignInPasses;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// The pass goes to the caller (or the expert's page) and nowhere else, and the mailed link's secret and the
/// confirmation code go to the expert's mailbox only: none is in a log line (at Debug), a trace, or a stored row.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SignInPassSecrecyTests(ServerFixture fixture)
{
    [Fact]
    public async Task Neither_a_pass_returned_or_mailed_nor_the_link_or_code_is_in_any_log_line_trace_or_stored_row()
    {
        var written = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => written.Enqueue(Describe(activity)),
        };
        ActivitySource.AddActivityListener(listener);
        var logs = new LogCapture(LogLevel.Debug);
        var serviceId = "secrecy-" + Guid.NewGuid().ToString("N")[..8];
        await using var server = await ServerInstance.StartAsync(fixture.Azurite, fixture.Emulator, fixture.Tokens, serviceId,
            new Dictionary<string, string?>
            {
                ["Telemetry:Traces"] = "on",
                ["Logging:LogLevel:Default"] = "Debug",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
                ["Logging:LogLevel:Orleans"] = "Debug",
                ["Logging:LogLevel:Azure"] = "Debug",
            },
            builder => builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));

        var partner = TestIds.NewPartner();
        var tenantId = TestIds.NewTenantId();
        await TestEmulator.AddTenantAsync(fixture.Emulator, tenantId, appPermissions: PassMailTenants.MailGrants);
        await TestEmulator.AddUserAsync(fixture.Emulator, tenantId, "remote-assist", "Remote Assist Access", licensed: false);
        var create = ReadyTenants.Create(tenantId);
        create.Tenant.MailSender = PassMailTenants.Sender(tenantId);
        var created = await server.Tenants(fixture.Tokens.Writer(partner)).CreateTenantAsync(create);
        await server.Operations(fixture.Tokens.Reader(partner)).WatchToEndAsync(created.Operation.Name);
        // The longest pass Graph makes (48 characters), so finding it anywhere cannot be chance.
        SetPolicy(fixture.Emulator, tenantId, enabled: true, length: 48);
        var accounts = new ServiceAccountService.ServiceAccountServiceClient(server.Invoker(fixture.Tokens.Writer(partner)));
        var domain = TestEmulator.DefaultDomain(tenantId);
        var request = AccountTenants.Account(created.Tenant.Name, "secret", $"secret@{domain}");
        request.ServiceAccount.VendorContact = new VendorContact { Email = "erin@vendor.example" };
        var account = (await accounts.CreateServiceAccountAsync(request)).ServiceAccount;

        var issue = Issue(account.Name, null);
        var pass = (await accounts.IssueSignInPassAsync(issue)).Pass;
        await accounts.IssueSignInPassAsync(issue);
        await accounts.GetServiceAccountAsync(new GetServiceAccountRequest { Name = account.Name });
        Assert.Equal(48, pass.Length);

        // Mailed: the link and the code reach the expert's mailbox; the page shows the pass once.
        await accounts.IssueSignInPassAsync(Mail(account.Name));
        var link = PassMailTenants.LatestLink(fixture.Emulator, tenantId, "erin@vendor.example");
        using var page = new PassPageClient(server.WebUrl);
        await page.OpenAsync();
        await page.AskCodeAsync(PassPageClient.SecretOf(link));
        var code = PassMailTenants.LatestCode(fixture.Emulator, tenantId, "erin@vendor.example");
        await page.ConfirmAsync(code == "000000" ? "000001" : "000000");
        var mailedPass = PassPageClient.PassIn(await (await page.ConfirmAsync(code)).Content.ReadAsStringAsync());
        Assert.Equal(48, mailedPass?.Length);
        var secrets = new[] { pass, mailedPass!, PassPageClient.SecretOf(link), $"code={code}", $"\"{code}\"", $" {code} " };

        Assert.Contains(logs.Messages, m => m.Contains("IssueSignInPass", StringComparison.Ordinal));
        Assert.Contains(written, w => w.Contains("IssueSignInPass", StringComparison.Ordinal));
        Assert.Contains(written, w => w.Contains("pass.reveal", StringComparison.Ordinal));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(logs.Messages.Concat(logs.Exceptions), m => m.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(written, w => w.Contains(secret, StringComparison.Ordinal));
        }

        var rows = await StoredRowsAsync(fixture.Azurite.ConnectionString);
        // Grain state data is readable as scanned: the account's UPN (kept in state data, never in a key) shows.
        Assert.Contains(rows, r => r.Contains(account.UserPrincipalName, StringComparison.Ordinal));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(rows, r => r.Contains(secret, StringComparison.Ordinal));
        }
    }

    /// <summary>Everything a span carries: its names, status, tags, events and baggage.</summary>
    private static string Describe(Activity activity)
    {
        var text = new StringBuilder().Append(activity.Source.Name).Append(' ').Append(activity.DisplayName).Append(' ').Append(activity.OperationName)
            .Append(' ').Append(activity.StatusDescription);
        foreach (var (key, value) in activity.TagObjects)
        {
            text.Append(' ').Append(key).Append('=').Append(value);
        }

        foreach (var e in activity.Events)
        {
            text.Append(' ').Append(e.Name);
            foreach (var (key, value) in e.Tags)
            {
                text.Append(' ').Append(key).Append('=').Append(value);
            }
        }

        foreach (var (key, value) in activity.Baggage)
        {
            text.Append(' ').Append(key).Append('=').Append(value);
        }

        return text.ToString();
    }

    /// <summary>Every row of every table in storage as text (binary columns read as UTF-8, where serialized strings show).</summary>
    private static async Task<List<string>> StoredRowsAsync(string connectionString)
    {
        var service = new TableServiceClient(connectionString);
        var rows = new List<string>();
        await foreach (var table in service.QueryAsync())
        {
            await foreach (var entity in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                rows.Add(string.Join(' ', entity.Select(p => p.Key + "=" + (p.Value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : p.Value))));
            }
        }

        return rows;
    }
}
