using System.Diagnostics;
using RAOrchestrator.Cli.Tests.Infrastructure;
using RAOrchestrator.Client;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Cli.Tests;

/// <summary>Keeps the example clients (examples/node with @grpc/grpc-js, examples/csharp) working against the real service.</summary>
[Collection(CliCollection.Name)]
public sealed class ExampleClientTests(CliFixture fixture)
{
    private readonly string _partner = Tenants.NewPartner();

    [Fact]
    public async Task The_node_example_runs_the_published_scenario_over_tls_through_a_dns_address_and_leaves_what_it_says_it_did()
    {
        var tenantId = await Tenants.AddAsync(fixture.Emulator);
        var address = new Uri(fixture.Address);

        // dns:///: grpc-js resolves the name and balances round robin over its addresses (the example's service config).
        var (exitCode, output, errors) = await RunNodeAsync(
            "examples/node/scenario.js", "--address", $"dns:///localhost:{address.Port}", "--token", fixture.Token(_partner), "--ca", fixture.CertificatePemPath, "--tenant", tenantId);

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{errors}");
        Assert.Contains("\"scenario\":\"complete\"", output, StringComparison.Ordinal);
        using var api = fixture.Api(_partner);
        var tenant = (await api.Tenants.GetTenantAsync(new GetTenantRequest { Name = "tenants/" + tenantId })).Tenant;
        Assert.Equal(Tenant.Types.State.Active, tenant.State);
        var account = (await api.ServiceAccounts.GetServiceAccountAsync(new GetServiceAccountRequest { Name = tenant.Name + "/serviceAccounts/vendor-expert" })).ServiceAccount;
        Assert.Equal(ServiceAccount.Types.State.Active, account.State);
        var sessions = new List<Session>();
        await foreach (var s in api.Sessions.ListAllSessionsAsync(tenant.Name))
        {
            sessions.Add(s);
        }

        var session = Assert.Single(sessions);
        Assert.Equal(Session.Types.State.Ended, session.State);
        Assert.Equal(account.DirectoryUserId, session.Organizer.TenantUser.UserId);
        Assert.Contains(session.Participants, p => p.Id == "guest:erin.expert@vendor.example" && p.DecidedBy == "partner:" + _partner);
    }

    [Fact]
    public async Task The_node_example_exits_1_with_the_status_when_the_service_refuses_it()
    {
        var address = new Uri(fixture.Address);

        var (exitCode, _, errors) = await RunNodeAsync(
            "examples/node/scenario.js", "--address", $"{address.Host}:{address.Port}", "--token", fixture.Token(_partner, write: false), "--ca", fixture.CertificatePemPath, "--tenant", Guid.NewGuid().ToString());

        Assert.True(exitCode == 1, errors);
        Assert.Contains("scenario failed: PERMISSION_DENIED:", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_node_example_prints_the_decoded_google_rpc_details_of_a_bad_request()
    {
        var address = new Uri(fixture.Address);

        var (exitCode, _, errors) = await RunNodeAsync(
            "examples/node/scenario.js", "--address", $"{address.Host}:{address.Port}", "--token", fixture.Token(_partner), "--ca", fixture.CertificatePemPath, "--tenant", "not-a-tenant-id");

        Assert.True(exitCode == 1, errors);
        Assert.Contains("scenario failed: INVALID_ARGUMENT:", errors, StringComparison.Ordinal);
        Assert.Matches(@"\n  reason: [A-Z_]+ \(raorchestrator\.dev\)\n", errors);
        Assert.Contains("\n  field tenant_id: must be the customer's Entra tenant id", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_node_example_balances_retries_and_fills_request_ids_for_the_same_methods_as_the_client_library()
    {
        var (exitCode, output, errors) = await RunNodeAsync("-e",
            "const c = require('./examples/node/client.js'); process.stdout.write(JSON.stringify({ config: c.serviceConfig(), filled: [...c.FILLED] }))");

        Assert.True(exitCode == 0, errors);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        var config = json.RootElement.GetProperty("config");
        var filled = RetriedMethods.Services.SelectMany(s => s.Methods)
            .Where(m => RequestIdFilling.FilledField(m.InputType) is not null).Select(m => $"/{m.Service.FullName}/{m.Name}");
        Assert.Equal(filled.Order(), json.RootElement.GetProperty("filled").EnumerateArray().Select(p => p.GetString()!).Order());
        Assert.Equal("{}", config.GetProperty("loadBalancingConfig")[0].GetProperty("round_robin").GetRawText());
        var methods = config.GetProperty("methodConfig")[0];
        var node = methods.GetProperty("name").EnumerateArray().Select(n => (n.GetProperty("service").GetString()!, n.GetProperty("method").GetString()!)).ToHashSet();
        Assert.Equal(RetriedMethods.All().ToHashSet(), node);
        var policy = methods.GetProperty("retryPolicy");
        var dotnet = ClientChannel.ServiceConfigFor(ClientAddress.Parse("dns:///api.example:443"), 5).MethodConfigs.Single().RetryPolicy!;
        Assert.Equal((dotnet.MaxAttempts, "UNAVAILABLE"), (policy.GetProperty("maxAttempts").GetInt32(), policy.GetProperty("retryableStatusCodes")[0].GetString()));
        Assert.Equal((dotnet.InitialBackoff, dotnet.MaxBackoff, dotnet.BackoffMultiplier), (
            TimeSpan.FromSeconds(double.Parse(policy.GetProperty("initialBackoff").GetString()!.TrimEnd('s'), System.Globalization.CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(double.Parse(policy.GetProperty("maxBackoff").GetString()!.TrimEnd('s'), System.Globalization.CultureInfo.InvariantCulture)),
            policy.GetProperty("backoffMultiplier").GetDouble()));
    }

    [Fact]
    public async Task The_csharp_example_onboards_a_tenant_and_provisions_a_service_account_through_the_client_library()
    {
        var tenantId = await Tenants.AddAsync(fixture.Emulator);
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(RepoPaths.Root, "examples", "csharp", "RAOrchestrator.Example", "bin", configuration, "net10.0", "RAOrchestrator.Example.dll");
        var start = Start("dotnet", dll, tenantId);
        start.Environment["RAORCH_ADDRESS"] = fixture.Address;
        start.Environment["RAORCH_TOKEN"] = fixture.Token(_partner);
        start.Environment["RAORCH_CERT_SHA256"] = fixture.CertificateSha256;

        var (exitCode, output, errors) = await RunAsync(start);

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{errors}");
        Assert.Contains($"tenants/{tenantId}/serviceAccounts/vendor-expert: Active", output, StringComparison.Ordinal);
        Assert.Matches(@"DYN365_REMOTE_ASSIST: 49 of 50 seats available", output);
    }

    private Task<(int ExitCode, string Output, string Errors)> RunNodeAsync(params string[] args) => RunAsync(Start("node", args));

    private static ProcessStartInfo Start(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    /// <summary>Runs an example; when it prints an approval link, the tenant's administrator approves it, as a person would.</summary>
    private async Task<(int ExitCode, string Output, string Errors)> RunAsync(ProcessStartInfo start)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        var output = ReadApprovingAsync(process.StandardOutput);
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {start.ArgumentList[0]} ran longer than 2 minutes:\n{await output}\n{await errors}");
        }

        return (process.ExitCode, await output, await errors);
    }

    private async Task<string> ReadApprovingAsync(StreamReader reader)
    {
        var text = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync() is { } line)
        {
            text.AppendLine(line);
            if (System.Text.RegularExpressions.Regex.Match(line, @"send (\S+/tenant-approval/\S+) to an administrator") is { Success: true } link)
            {
                await AutoApproval.ApproveAsync(fixture.Emulator, link.Groups[1].Value);
            }
        }

        return text.ToString();
    }
}
