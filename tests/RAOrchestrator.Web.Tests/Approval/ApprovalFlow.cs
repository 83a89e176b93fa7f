using Microsoft.Playwright;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Testing;
using RAOrchestrator.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RAOrchestrator.Web.Tests.Approval;

/// <summary>A partner's claim on a fresh customer tenant, and the steps its administrator takes in the browser.</summary>
public sealed class ApprovalFlow(WebFixture fixture)
{
    private LoopbackHost? _host;

    public string Partner { get; } = "partner-" + Guid.NewGuid().ToString("N")[..12];
    public string TenantId { get; private set; } = string.Empty;
    public CreateTenantResponse Claim { get; private set; } = null!;

    public string Admin => TestEmulator.AdminUpn(TestEmulator.DefaultDomain(TenantId));

    /// <summary>The tenant's member who is no administrator (<see cref="TestEmulator.AddTenantAsync"/>'s hanna).</summary>
    public string Member => $"hanna@{TestEmulator.DefaultDomain(TenantId)}";

    public string ApprovalUri => Claim.Tenant.ApprovalUri;

    /// <summary>The partner claims a fresh tenant of the emulator; the claim waits for its administrator.</summary>
    public async Task<ApprovalFlow> ClaimAsync(LoopbackHost? host = null)
    {
        _host = host;
        TenantId = await ReadyTenants.AddAsync(fixture.Emulator);
        Claim = await (host ?? fixture.Host).Tenants(Partner).CreateTenantAsync(ReadyTenants.Create(TenantId));
        Assert.Equal(Tenant.Types.State.AwaitingApproval, Claim.Tenant.State);
        return this;
    }

    /// <summary>Opens the approval link and chooses; the browser then shows the emulator's sign-in page.</summary>
    public async Task ChooseAsync(IPage page, bool approve)
    {
        await page.GotoAsync(ApprovalUri);
        await page.GetByRole(AriaRole.Button, new() { Name = approve ? "Sign in and approve" : "Sign in and decline" }).ClickAsync();
        await Navigation.ArrivesAtAsync(page, fixture.Emulator.BaseAddress.ToString());
    }

    /// <summary>The whole flow as <paramref name="username"/>: open, choose, sign in, and wait for the page the host answers.</summary>
    public async Task DecideAsync(IPage page, string username, bool approve = true)
    {
        await ChooseAsync(page, approve);
        await EmulatorSignIn.SignInAsync(page, username);
        await Navigation.ArrivesAtAsync(page, (_host ?? fixture.Host).WebUrl.ToString());
        await Expect(page.Locator("main h1")).ToBeVisibleAsync();
    }
}
