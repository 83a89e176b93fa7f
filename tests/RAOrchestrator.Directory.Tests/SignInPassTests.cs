using System.Text.Json.Nodes;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.SignInPasses;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.GraphEmulator.Tokens;

namespace RAOrchestrator.Directory.Tests;

/// <summary>The gateway tenants with Temporary Access Pass enabled for the customer, and a tenant whose app lacks the TAP permission.</summary>
public sealed class SignInPassFixture : IAsyncLifetime
{
    public const string NoTapPermission = "22222222-0000-4000-8000-00000000000d";
    public const string NoTapPermissionUserId = "44444444-0000-4000-8000-000000000003";

    public GraphEmulatorServer Emulator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var data = Gateways.Data();
        var enabled = new TemporaryAccessPassPolicyData { State = "enabled", DefaultLifetimeInMinutes = 60, MinimumLifetimeInMinutes = 60, MaximumLifetimeInMinutes = 480, DefaultLength = 12 };
        data.Tenants.Single(t => t.Id == Gateways.Customer).TemporaryAccessPassPolicy = enabled;
        data.Tenants.Add(new TenantData
        {
            Id = NoTapPermission,
            DisplayName = "No TAP permission",
            Domains = [new DomainData { Name = "notap.example", IsDefault = true, IsInitial = true }],
            ConsentedApps = [Gateways.AppId],
            TemporaryAccessPassPolicy = enabled.Clone(),
            AppPermissions = new() { [Gateways.AppId] = [.. TokenIssuer.GraphRoles.Where(r => !r.StartsWith("UserAuthMethod", StringComparison.Ordinal))] },
            Users = [new JsonObject { ["id"] = NoTapPermissionUserId, ["displayName"] = "Nina", ["userPrincipalName"] = "nina@notap.example", ["mailNickname"] = "nina" }],
        });
        Emulator = await Gateways.StartEmulatorAsync(data);
    }

    public async Task DisposeAsync() => await Emulator.DisposeAsync();
}

public sealed class SignInPassTests(SignInPassFixture fixture) : IClassFixture<SignInPassFixture>
{
    private GraphDirectoryGateway Gateway => Gateways.For(fixture.Emulator).Gateway;

    private async Task<string> NewUserAsync(string nickname) => (await Gateway.EnsureUserAsync(Gateways.Customer, Gateways.NewUser(nickname))).Id;

    private TemporaryAccessPassMethod? MethodOf(string tenant, string userId)
    {
        lock (fixture.Emulator.State.Sync)
        {
            return fixture.Emulator.State.FindTenant(tenant)!.TemporaryAccessPasses.GetValueOrDefault(userId);
        }
    }

    [Fact]
    public async Task The_tenants_policy_is_read_with_its_bounds()
    {
        var policy = await Gateway.GetPassPolicyAsync(Gateways.Customer);

        Assert.Equal((true, 60, 60, 480, false, 12),
            (policy.Enabled, policy.DefaultLifetimeMinutes, policy.MinimumLifetimeMinutes, policy.MaximumLifetimeMinutes, policy.IsUsableOnce, policy.DefaultLength));
        Assert.True(policy.TargetsAllUsers);
        Assert.False((await Gateway.GetPassPolicyAsync(Gateways.NoPolicy)).Enabled);
    }

    [Fact]
    public async Task A_created_pass_is_returned_to_the_caller_with_its_terms()
    {
        var user = await NewUserAsync("pass-create");

        var issued = await Gateway.CreatePassAsync(Gateways.Customer, user, new PassTerms(120, IsUsableOnce: true));

        Assert.Equal(12, issued.Pass.Length);
        Assert.Equal((120, true), (issued.LifetimeMinutes, issued.IsUsableOnce));
        Assert.True(MethodOf(Gateways.Customer, user)!.Matches(issued.Pass));
        Assert.Equal(issued.StartsAt.AddMinutes(120), issued.ExpiresAt);
    }

    [Fact]
    public async Task A_second_pass_replaces_the_first()
    {
        var user = await NewUserAsync("pass-replace");
        var first = await Gateway.CreatePassAsync(Gateways.Customer, user, new PassTerms(60, true));

        var second = await Gateway.CreatePassAsync(Gateways.Customer, user, new PassTerms(60, true));

        var method = MethodOf(Gateways.Customer, user)!;
        Assert.Equal(second.MethodId, method.Id);
        Assert.False(method.Matches(first.Pass));
    }

    [Fact]
    public async Task A_disabled_policy_is_TAP_POLICY_DISABLED_naming_the_runbook_section()
    {
        var refused = await Assert.ThrowsAsync<OrchestratorException>(() =>
            Gateway.CreatePassAsync(Gateways.NoPolicy, Gateways.NoPolicyOrganizerId, new PassTerms(60, true)));

        Assert.Equal((ErrorKind.FailedPrecondition, PassRequestRules.TapPolicyDisabled), (refused.Kind, refused.Reason));
        Assert.Equal(PassRequestRules.RunbookSection, refused.Metadata!["runbook_section"]);
    }

    [Fact]
    public async Task A_lifetime_the_policy_refuses_is_TAP_LIFETIME_OUT_OF_BOUNDS()
    {
        var user = await NewUserAsync("pass-bounds");

        var refused = await Assert.ThrowsAsync<OrchestratorException>(() => Gateway.CreatePassAsync(Gateways.Customer, user, new PassTerms(481, true)));

        Assert.Equal((ErrorKind.FailedPrecondition, PassRequestRules.TapLifetimeOutOfBounds), (refused.Kind, refused.Reason));
    }

    [Fact]
    public async Task An_app_without_the_TAP_permission_is_told_which_permission_it_needs()
    {
        var refused = await Assert.ThrowsAsync<OrchestratorException>(() =>
            Gateway.CreatePassAsync(SignInPassFixture.NoTapPermission, SignInPassFixture.NoTapPermissionUserId, new PassTerms(60, true)));

        Assert.Equal((ErrorKind.FailedPrecondition, GraphErrors.GraphPermissionDenied), (refused.Kind, refused.Reason));
        Assert.Contains(SignInPassErrors.WritePermission, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_passes_is_idempotent_and_a_missing_user_is_fine()
    {
        var user = await NewUserAsync("pass-delete");
        await Gateway.CreatePassAsync(Gateways.Customer, user, new PassTerms(60, true));

        await Gateway.DeletePassesAsync(Gateways.Customer, user);
        await Gateway.DeletePassesAsync(Gateways.Customer, user);
        await Gateway.DeletePassesAsync(Gateways.Customer, Guid.NewGuid().ToString());

        Assert.Null(MethodOf(Gateways.Customer, user));
    }

    [Fact]
    public async Task The_pass_is_in_no_log_line_or_trace_even_at_debug()
    {
        using var telemetry = new CapturedTelemetry();
        var written = telemetry.Written;
        var gateway = Gateways.For(fixture.Emulator, logs: telemetry.Logs).Gateway;
        var user = (await gateway.EnsureUserAsync(Gateways.Customer, Gateways.NewUser("pass-secret"))).Id;

        var issued = await gateway.CreatePassAsync(Gateways.Customer, user, new PassTerms(60, true));

        Assert.NotEmpty(written);
        Assert.DoesNotContain(written, w => w.Contains(issued.Pass, StringComparison.Ordinal));
        Assert.DoesNotContain(issued.Pass, issued.ToString(), StringComparison.Ordinal);
    }
}
