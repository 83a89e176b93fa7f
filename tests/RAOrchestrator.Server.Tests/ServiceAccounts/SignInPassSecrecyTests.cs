using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Server.Tests.Infrastructure;
using static RAOrchestrator.Server.Tests.Infrastructure.SignInPasses;

namespace RAOrchestrator.Server.Tests;

/// <summary>The pass goes to the caller and nowhere else: not in logs (at Debug), traces, or the stored grain state.</summary>
[Collection(ServerCollection.Name)]
public sealed class SignInPassSecrecyTests(ServerFixture fixture)
{
    [Fact]
    public async Task An_issued_pass_is_in_no_log_line_trace_or_stored_row()
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
        await TestEmulator.AddTenantAsync(fixture.Emulator, tenantId);
        var created = await server.Tenants(fixture.Tokens.Writer(partner)).CreateTenantAsync(ReadyTenants.Create(tenantId));
        await server.Operations(fixture.Tokens.Reader(partner)).WatchToEndAsync(created.Operation.Name);
        // The longest pass Graph makes (48 characters), so finding it anywhere cannot be chance.
        SetPolicy(fixture.Emulator, tenantId, enabled: true, length: 48);
        var accounts = new ServiceAccountService.ServiceAccountServiceClient(server.Invoker(fixture.Tokens.Writer(partner)));
        var domain = TestEmulator.DefaultDomain(tenantId);
        var account = (await accounts.CreateServiceAccountAsync(AccountTenants.Account(created.Tenant.Name, "secret", $"secret@{domain}"))).ServiceAccount;

        var issue = Issue(account.Name, null);
        var pass = (await accounts.IssueSignInPassAsync(issue)).Pass;
        await accounts.IssueSignInPassAsync(issue);
        await accounts.GetServiceAccountAsync(new GetServiceAccountRequest { Name = account.Name });
        Assert.Equal(48, pass.Length);

        Assert.Contains(logs.Messages, m => m.Contains("IssueSignInPass", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages.Concat(logs.Exceptions), m => m.Contains(pass, StringComparison.Ordinal));
        Assert.Contains(written, w => w.Contains("IssueSignInPass", StringComparison.Ordinal));
        Assert.DoesNotContain(written, w => w.Contains(pass, StringComparison.Ordinal));
        var rows = await StoredRowsAsync(fixture.Azurite.ConnectionString);
        // Grain state data is readable as scanned: the account's UPN (kept in state data, never in a key) shows.
        Assert.Contains(rows, r => r.Contains(account.UserPrincipalName, StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.Contains(pass, StringComparison.Ordinal));
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
