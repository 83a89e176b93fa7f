using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Server.Security;
using RAOrchestrator.Server.Web.SignIn;

namespace RAOrchestrator.Server.Web.Console;

/// <summary>
/// The lobby console for a managing partner's staff. A staff member signs in at the partner issuer (the one that mints
/// the partner's API tokens), sees the upcoming and live sessions of every tenant the partner manages now, and (with the
/// write role) admits, denies or removes people: each action is the session grain call the gRPC service makes for the
/// partner itself (no actor: the managing partner acts), and every request first asks the tenant who manages it now.
/// </summary>
public static class StaffConsoleEndpoints
{
    private const int MaxParticipantLength = 600;
    private static readonly TimeSpan WatchWait = TimeSpan.FromSeconds(20);

    public static void MapStaffConsole(this IEndpointRouteBuilder app, string host)
    {
        var group = app.MapGroup(WebLinks.StaffConsolePrefix).RequireHost(host).TaggedWithPageActions();
        group.MapGet("", ShowAsync).WithName("console.staff.show");
        group.MapPost("/sign-in", StartSignInAsync).DisableAntiforgery().WithName("console.staff.sign_in");
        group.MapGet("/callback", CallbackAsync).WithName("console.staff.callback");
        group.MapPost("/sign-out", SignOutAsync).DisableAntiforgery().WithName("console.staff.sign_out");
        group.MapGet("/tenants/{tenantId}/sessions/{sessionId}/lobby", LobbyAsync).WithName("console.staff.lobby");
        group.MapPost("/tenants/{tenantId}/sessions/{sessionId}/participants", ActAsync).DisableAntiforgery().WithName("console.staff.act");
    }

    private static async Task<IResult> ShowAsync(HttpContext http, ConsoleCookies cookies, StaffSessions sessions, TimeProvider time)
    {
        if (cookies.Staff(http) is not { } staff)
        {
            return Results.Redirect(WebLinks.ConsolePrefix);
        }

        var tenants = await sessions.OpenAsync(staff.PartnerId);
        PageResults.Secure(http, hostScripts: true);
        return Results.Content(Html.Page("Lobby console", StaffConsolePages.Console(staff, tenants, time.GetUtcNow()), ConsolePages.Script, wide: true), "text/html; charset=utf-8");
    }

    private static async Task<IResult> StartSignInAsync(HttpContext http, ConsoleCookies cookies, StaffSignIn signIn, WebLinks links)
    {
        var secrets = SignInSecrets.New();
        var state = SignInSecrets.Random();
        try
        {
            var authorize = await signIn.AuthorizeUrlAsync(links.StaffConsoleRedirectUri, state, secrets, http.RequestAborted);
            cookies.BeginStaffSignIn(http, new PendingStaffSignIn(state, secrets.Binding));
            return Results.Redirect(authorize);
        }
        catch (OrchestratorException ex)
        {
            return PageResults.Refusal(http, ex, "Sign-in not started");
        }
    }

    private static async Task<IResult> CallbackAsync(HttpContext http, ConsoleCookies cookies, StaffSignIn signIn, WebLinks links)
    {
        var pending = cookies.TakeStaffSignIn(http);
        try
        {
            var code = SignInCallback.Code(http.Request.Query, pending?.State, "Open the lobby console and sign in again.");
            var secrets = new SignInSecrets(pending!.Binding);
            cookies.SignInStaff(http, await signIn.RedeemAsync(code, links.StaffConsoleRedirectUri, secrets, http.RequestAborted));
            return Results.Redirect(WebLinks.StaffConsolePrefix);
        }
        catch (OrchestratorException ex)
        {
            return PageResults.Refusal(http, ex, "Not signed in");
        }
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, ConsoleCookies cookies)
    {
        if (await FormOfAsync(http, cookies) is null)
        {
            return PageResults.Refusal(http, ConsoleEndpoints.Forged());
        }

        cookies.SignOutStaff(http);
        return Results.Redirect(WebLinks.ConsolePrefix);
    }

    /// <summary>Long polling, as on the organizer's console: the lobby redrawn once the session changed after <c>after</c>, or 204 after a while.</summary>
    private static async Task<IResult> LobbyAsync(string tenantId, string sessionId, long? after, HttpContext http, ConsoleCookies cookies, StaffSessions sessions, TimeProvider time)
    {
        PageResults.Secure(http);
        if (cookies.Staff(http) is not { } staff)
        {
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        if (!TenantId.TryNormalize(tenantId, out var tenant) || !ResourceName.IsValidChildId(sessionId) || after is not { } since || since < 0)
        {
            return Results.NotFound();
        }

        var view = await sessions.OneAsync(staff.PartnerId, tenant, sessionId);
        if (view is not null && view.LastSequence <= since)
        {
            SessionWatchPage? watched;
            try
            {
                watched = await sessions.Grain(tenant, sessionId).WatchAsync(staff.PartnerId, since, 1, WatchWait);
            }
            catch (OrchestratorException stopping) when (stopping.Reason == Reasons.ClusterUnavailable)
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable); // the page polls again in a moment
            }

            // A closed session with nothing new is drawn closed below, so the page stops asking (see ConsoleEndpoints).
            if (watched is { Page.Events.IsEmpty: true, Closed: false })
            {
                return Results.NoContent();
            }

            // Changed (or gone): read again, asking the tenant again who manages it.
            view = watched is null ? null : await sessions.OneAsync(staff.PartnerId, tenant, sessionId);
        }

        return view is null
            ? Results.NotFound()
            : Results.Content(StaffConsolePages.Lobby(staff, tenant, await sessions.PreviewAsync(staff.PartnerId, tenant, view), time.GetUtcNow()), "text/html; charset=utf-8");
    }

    /// <summary>Admit, deny or remove as the managing partner: the session's rules decide, as for the partner's API call.</summary>
    private static async Task<IResult> ActAsync(string tenantId, string sessionId, HttpContext http, ConsoleCookies cookies, StaffSessions sessions)
    {
        if (cookies.Staff(http) is not { } staff)
        {
            return PageResults.Refusal(http, new OrchestratorException(ErrorKind.Unauthenticated, Reasons.SignInExpired,
                "Only a signed-in member of the managing partner's staff can let people in here. Open the lobby console and sign in."), "Not signed in");
        }

        if (await FormOfAsync(http, cookies) is not { } form)
        {
            return PageResults.Refusal(http, ConsoleEndpoints.Forged());
        }

        var participant = form["participant"].ToString();
        var action = form["action"].ToString();
        var invalid = !TenantId.TryNormalize(tenantId, out var tenant) ? "tenant"
            : !ResourceName.IsValidChildId(sessionId) ? "session"
            : !LobbyActions.IsKnown(action) ? "action"
            : participant.Length is 0 or > MaxParticipantLength ? "participant"
            : null;
        if (invalid is not null)
        {
            return PageResults.Refusal(http, OrchestratorException.Invalid(invalid, "must come from the lobby console's buttons"));
        }

        if (staff.Role != PartnerRole.Write)
        {
            return PageResults.Refusal(http, new OrchestratorException(ErrorKind.PermissionDenied, Reasons.MissingRole, StaffConsolePages.ReadOnly), $"Could not {action}");
        }

        var name = $"{ResourceName.Tenant(tenant)}/sessions/{sessionId}";
        PageActions.Acting(http, $"console.staff.{action}", name);
        try
        {
            // Another partner's tenant (or one nobody manages) answers exactly as a session that does not exist.
            if (!await sessions.ManagesAsync(staff.PartnerId, tenant))
            {
                throw OrchestratorException.NotFound(name);
            }

            var grain = sessions.Grain(tenant, sessionId);
            await LobbyActions.DecideAsync(grain, staff.PartnerId, null, action, participant);
        }
        catch (OrchestratorException ex)
        {
            return PageResults.Refusal(http, ex, $"Could not {action}");
        }

        return Results.Redirect($"{WebLinks.StaffConsolePrefix}#s-{tenant}-{sessionId}");
    }

    /// <summary>The posted form when it carries the signed-in staff member's form token; null for a forged or tokenless post.</summary>
    private static Task<IFormCollection?> FormOfAsync(HttpContext http, ConsoleCookies cookies) =>
        PageCookies.FormWithTokenAsync(http, cookies.Staff(http)?.FormToken);
}
