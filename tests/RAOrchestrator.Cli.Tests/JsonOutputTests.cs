using System.Text.Json.Nodes;
using Google.Protobuf;
using RAOrchestrator.Cli.Tests.Infrastructure;
using RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Cli.Tests;

/// <summary><c>--output json</c>: the API's messages in protobuf JSON on stdout, errors as one JSON object on stderr.</summary>
[Collection(CliCollection.Name)]
public sealed class JsonOutputTests(CliFixture fixture)
{
    private readonly string _partner = Tenants.NewPartner();

    [Fact]
    public async Task A_tenant_as_json_is_the_api_tenant_in_protobuf_json()
    {
        var name = await Tenants.OnboardAsync(fixture, _partner);
        using var cli = new CliRunner(fixture, fixture.Token(_partner));
        using var api = fixture.Api(_partner);

        var run = await cli.RunAsync("tenants", "get", name.Split('/')[1], "-o", "json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Equal((await api.Tenants.GetTenantAsync(new GetTenantRequest { Name = name })).Tenant, JsonParser.Default.Parse<Tenant>(run.Out));
        // Every field is present, zeros and empties too, so scripts need no defaults.
        Assert.Equal("STATE_ACTIVE", (string?)JsonNode.Parse(run.Out)!["state"]);
        Assert.NotNull(JsonNode.Parse(run.Out)!["externalAccessAllowedTenants"]);
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task An_error_as_json_carries_the_status_reason_field_violations_hint_and_exit_code()
    {
        using var cli = new CliRunner(fixture, fixture.Token(_partner));

        var run = await cli.RunAsync("service-accounts", "list", "not-a-tenant-id", "--output", "json");

        Assert.True(run.ExitCode == ExitCodes.Usage, run.ToString());
        Assert.Empty(run.Out);
        var error = JsonNode.Parse(run.Error)!["error"]!;
        Assert.Equal(ExitCodes.Usage, (int)error["exitCode"]!);
        Assert.Equal("INVALID_ARGUMENT", (string?)error["status"]);
        Assert.Equal("INVALID_ARGUMENT", (string?)error["reason"]);
        Assert.Equal("parent", (string?)error["fieldViolations"]![0]!["field"]);
        Assert.False(string.IsNullOrEmpty((string?)error["fieldViolations"]![0]!["description"]));
        Assert.False(string.IsNullOrEmpty((string?)error["hint"]));
    }
}
