using RAOrchestrator.Abstractions.Tenants;
using RAOrchestrator.Directory;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Tenants.Ownership;
using RAOrchestrator.Server.Web.SignIn;

namespace RAOrchestrator.Server.Web.Approval;

/// <summary>
/// The tenant approval page. A customer's administrator opens the link a partner sent, sees which partner asks for
/// what, chooses approve or decline, signs in with their Entra account, and the verified id token decides the claim.
/// Each handler is thin: validate, one grain call, render.
/// </summary>
public static class ApprovalEndpoints
{
    private const string BindingCookie = "raorch-approval";
    private const string CsrfCookie = "raorch-approval-csrf";
    private const int MaxStateLength = 200;

    public static void MapApprovalPages(this IEndpointRouteBuilder app, string host)
    {
        var group = app.MapGroup(WebLinks.ApprovalPrefix).RequireHost(host).TaggedWithPageActions();
        group.MapGet("/callback", CallbackAsync).WithName("approval.callback");
        group.MapGet("/{tenantId}/{claimId}", ShowAsync).WithName("approval.show");
        group.MapPost("/{tenantId}/{claimId}", StartSignInAsync).DisableAntiforgery().WithName("approval.sign_in");
    }

    private static async Task<IResult> ShowAsync(string tenantId, string claimId, HttpContext http, IGrainFactory grains, GraphOptions graph, EntraSignIn signIn, WebLinks links)
    {
        if (!TryParse(tenantId, claimId, out var tenant))
        {
            return PageResults.Refusal(http, NotFound());
        }

        var request = await grains.GetGrain<ITenantGrain>(ResourceName.Tenant(tenant)).GetApprovalRequestAsync(claimId);
        if (request is null)
        {
            return PageResults.Refusal(http, NotFound());
        }

        if (request.Status != ClaimStatus.Pending)
        {
            return PageResults.Page(http, "Request already decided", ApprovalPages.Decided(request));
        }

        var csrf = PageCookies.IssueFormToken(http, CsrfCookie, Cookie(links, SameSiteMode.Strict));
        PageResults.Secure(http, signIn.AuthorityOrigin);
        return Results.Content(Html.Page("Approve a partner", ApprovalPages.Ask(request, graph.ClientId ?? string.Empty, csrf)), "text/html; charset=utf-8");
    }

    private static async Task<IResult> StartSignInAsync(string tenantId, string claimId, HttpContext http, IGrainFactory grains, EntraSignIn signIn, WebLinks links)
    {
        if (!TryParse(tenantId, claimId, out var tenant))
        {
            return PageResults.Refusal(http, NotFound());
        }

        if (!http.Request.HasFormContentType)
        {
            return PageResults.Refusal(http, OrchestratorException.Invalid("form", "must be a form post from the approval page"));
        }

        var form = await http.Request.ReadFormAsync();
        if (!PageCookies.TokenMatches(http.Request.Cookies[CsrfCookie], form["csrf"]))
        {
            return PageResults.Refusal(http, new OrchestratorException(ErrorKind.PermissionDenied, Reasons.InvalidArgument,
                "This form has expired or did not come from the approval page. Open the approval link again."));
        }

        ApprovalDecision? decision = form["decision"].ToString() switch
        {
            "approve" => ApprovalDecision.Approve,
            "decline" => ApprovalDecision.Decline,
            _ => null,
        };
        if (decision is null)
        {
            return PageResults.Refusal(http, OrchestratorException.Invalid("decision", "must be approve or decline"));
        }

        var secrets = SignInSecrets.New();
        var state = $"{tenant}.{SignInSecrets.Random()}";
        try
        {
            await grains.GetGrain<ITenantGrain>(ResourceName.Tenant(tenant))
                .BeginApprovalSignInAsync(new ApprovalSignInStart(claimId, SignInSecrets.Hash(state), secrets.BindingHash, decision.Value));
        }
        catch (OrchestratorException ex)
        {
            return PageResults.Refusal(http, ex);
        }

        http.Response.Cookies.Append(BindingCookie, secrets.Binding, Cookie(links, SameSiteMode.Lax, TimeSpan.FromMinutes(10)));
        return Results.Redirect(signIn.AuthorizeUrl(tenant, links.ApprovalRedirectUri, state, secrets));
    }

    private static async Task<IResult> CallbackAsync(HttpContext http, IGrainFactory grains, EntraSignIn signIn, WebLinks links)
    {
        var query = http.Request.Query;
        var state = query["state"].ToString();
        var dot = state.IndexOf('.');
        if (state.Length is 0 or > MaxStateLength || dot < 0 || !TenantId.TryNormalize(state[..dot], out var tenant))
        {
            return PageResults.Refusal(http, new OrchestratorException(ErrorKind.InvalidArgument, Reasons.SignInExpired,
                "This page can only be reached by signing in from an approval link."));
        }

        if (http.Request.Cookies[BindingCookie] is not { Length: > 20 and < 100 } binding)
        {
            return PageResults.Refusal(http, new OrchestratorException(ErrorKind.FailedPrecondition, Reasons.SignInExpired,
                "This sign-in was not started in this browser, or took too long. Open the approval link again."));
        }

        var secrets = new SignInSecrets(binding);
        var grain = grains.GetGrain<ITenantGrain>(ResourceName.Tenant(tenant));
        try
        {
            // Taken once, whatever follows: a replayed redirect finds nothing.
            var started = await grain.TakeApprovalSignInAsync(SignInSecrets.Hash(state), secrets.BindingHash);
            http.Response.Cookies.Delete(BindingCookie, Cookie(links, SameSiteMode.Lax));
            if (query["error"].ToString() is { Length: > 0 } error)
            {
                return PageResults.Refusal(http, new OrchestratorException(ErrorKind.FailedPrecondition, Reasons.SignInInvalid,
                    $"The sign-in did not complete ({OrchestratorException.Quote(error)}). Nothing was changed; open the approval link again to retry."),
                    "Sign-in did not complete");
            }

            if (query["code"].ToString() is not { Length: > 0 and < 4096 } code)
            {
                return PageResults.Refusal(http, OrchestratorException.Invalid("code", "is required"));
            }

            var identity = await signIn.RedeemAsync(tenant, code, links.ApprovalRedirectUri, secrets, http.RequestAborted);
            var admin = AdminSignIn.Verify(identity, tenant, secrets.Nonce);
            var decided = await grain.DecideClaimAsync(started.ClaimId, started.Decision, admin);
            return PageResults.Page(http, "Done", ApprovalPages.Outcome(decided, admin));
        }
        catch (OrchestratorException ex)
        {
            return PageResults.Refusal(http, ex, "Nothing was changed");
        }
    }

    private static bool TryParse(string tenantId, string claimId, out string tenant)
    {
        tenant = string.Empty;
        return claimId.Length == 32 && claimId.All(char.IsAsciiHexDigitLower) && TenantId.TryNormalize(tenantId, out tenant);
    }

    private static CookieOptions Cookie(WebLinks links, SameSiteMode sameSite, TimeSpan? maxAge = null) =>
        PageCookies.Options(links, WebLinks.ApprovalPrefix, sameSite, maxAge);

    private static OrchestratorException NotFound() =>
        new(ErrorKind.NotFound, Reasons.NotFound, "This approval link is not valid. Ask the partner for a new one.");
}
