using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Sessions;
using RAOrchestrator.Domain.Tenants.Ownership;
using RAOrchestrator.Server.Web.SignIn;

namespace RAOrchestrator.Server.Web.Console;

/// <summary>
/// The lobby console. The organizer or a delegated admitter of a session signs in with their tenant's Entra account,
/// sees their upcoming and live sessions with each lobby, live, and admits, denies or removes people: each action is
/// the same session grain call the gRPC service makes, with the signed-in user as the actor, so the session's rules decide.
/// </summary>
public static class ConsoleEndpoints
{
    private const int MaxParticipantLength = 600;
    private const int MaxFingerprintLength = 64;
    private static readonly TimeSpan WatchWait = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ListPoll = TimeSpan.FromSeconds(2);

    public static void MapLobbyConsole(this IEndpointRouteBuilder app, string host)
    {
        var group = app.MapGroup(WebLinks.ConsolePrefix).RequireHost(host).TaggedWithPageActions();
        group.MapGet("", ShowAsync).WithName("console.show");
        group.MapPost("/sign-in", StartSignIn).DisableAntiforgery().WithName("console.sign_in");
        group.MapGet("/callback", CallbackAsync).WithName("console.callback");
        group.MapPost("/sign-out", SignOutAsync).DisableAntiforgery().WithName("console.sign_out");
        group.MapGet("/sessions", SessionsAsync).WithName("console.sessions");
        group.MapGet("/sessions/{sessionId}/lobby", LobbyAsync).WithName("console.lobby");
        group.MapPost("/sessions/{sessionId}/participants", ActAsync).DisableAntiforgery().WithName("console.act");
        app.MapGet(ConsolePages.Script, (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Text(ConsolePages.ScriptSource, "text/javascript; charset=utf-8");
        }).RequireHost(host);
    }

    private static async Task<IResult> ShowAsync(HttpContext http, ConsoleCookies cookies, ConsoleSessions sessions, EntraSignIn signIn, StaffSignIn staffSignIn, TimeProvider time)
    {
        if (cookies.User(http) is not { } user)
        {
            var tenant = http.Request.Query["tenant"].ToString();
            PageResults.Secure(http, string.Join(' ', new[] { signIn.AuthorityOrigin, staffSignIn.AuthorityOrigin }.Where(o => o.Length > 0).Distinct()));
            return Content("Lobby console", ConsolePages.SignIn(tenant.Length <= 64 ? tenant : string.Empty, staffSignIn.Enabled));
        }

        if (await sessions.OwnerAsync(user.TenantId) is not { } owner)
        {
            return PageResults.Refusal(http, NotManaged());
        }

        var mine = await sessions.MineAsync(user, owner);
        PageResults.Secure(http, hostScripts: true);
        return Content("Lobby console", ConsolePages.Console(user, mine, time.GetUtcNow()), ConsolePages.Script);
    }

    private static async Task<IResult> StartSignIn(HttpContext http, ConsoleCookies cookies, EntraSignIn signIn, WebLinks links)
    {
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync() : null;
        if (form is null || !TenantId.TryNormalize(form["tenant"].ToString().Trim(), out var tenant))
        {
            return PageResults.Refusal(http, OrchestratorException.Invalid("tenant", "must be your organization's tenant id (a GUID)"), "Sign-in not started");
        }

        var secrets = SignInSecrets.New();
        var state = SignInSecrets.Random();
        cookies.BeginSignIn(http, new PendingConsoleSignIn(tenant, state, secrets.Binding));
        return Results.Redirect(signIn.AuthorizeUrl(tenant, links.ConsoleRedirectUri, state, secrets, prompt: null));
    }

    private static async Task<IResult> CallbackAsync(HttpContext http, ConsoleCookies cookies, EntraSignIn signIn, WebLinks links)
    {
        var pending = cookies.TakeSignIn(http);
        try
        {
            var code = SignInCallback.Code(http.Request.Query, pending?.State, "Open the lobby console and sign in again.");
            var secrets = new SignInSecrets(pending!.Binding);
            var identity = await signIn.RedeemAsync(pending.TenantId, code, links.ConsoleRedirectUri, secrets, http.RequestAborted);
            cookies.SignIn(http, AdminSignIn.VerifyUser(identity, pending.TenantId, secrets.Nonce));
            return Results.Redirect(WebLinks.ConsolePrefix);
        }
        catch (OrchestratorException ex)
        {
            return PageResults.Refusal(http, ex, "Not signed in");
        }
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, ConsoleCookies cookies)
    {
        if (await FormOfAsync(http, cookies) is not { } form)
        {
            return PageResults.Refusal(http, Forged());
        }

        cookies.SignOut(http);
        return Results.Redirect(WebLinks.ConsolePrefix, permanent: false);
    }

    /// <summary>
    /// Long polling: answers the user's list of sessions redrawn once it differs from the one the page shows
    /// (<c>shown</c>, its fingerprint: a session scheduled, started, ended or cancelled), or 204 after a while. The list
    /// is read from the user's own index every <see cref="ListPoll"/>.
    /// </summary>
    private static async Task<IResult> SessionsAsync(string? shown, HttpContext http, ConsoleCookies cookies, ConsoleSessions sessions, TimeProvider time)
    {
        PageResults.Secure(http);
        if (cookies.User(http) is not { } user)
        {
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        if (shown is not { Length: > 0 and <= MaxFingerprintLength })
        {
            return Results.BadRequest();
        }

        if (await sessions.OwnerAsync(user.TenantId) is not { } owner)
        {
            return Results.NotFound();
        }

        var until = time.GetUtcNow() + WatchWait;
        while (true)
        {
            var open = await sessions.OpenAsync(user, owner);
            if (ConsoleSessions.Fingerprint(open) != shown)
            {
                var lobbies = await sessions.WithRefusalsAsync(user, owner, open);
                return Results.Content(ConsolePages.Sessions(lobbies, user, time.GetUtcNow()), "text/html; charset=utf-8");
            }

            if (time.GetUtcNow() + ListPoll > until)
            {
                return Results.NoContent();
            }

            try
            {
                await Task.Delay(ListPoll, time, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return Results.NoContent(); // the browser left
            }
        }
    }

    /// <summary>
    /// Long polling: answers the lobby redrawn once the session changed after <c>after</c> (drawn closed, with no feed
    /// to ask again, once the session has ended or was cancelled), or 204 after a while.
    /// </summary>
    private static async Task<IResult> LobbyAsync(string sessionId, long? after, HttpContext http, ConsoleCookies cookies, ConsoleSessions sessions, TimeProvider time)
    {
        PageResults.Secure(http);
        if (cookies.User(http) is not { } user)
        {
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        if (!ResourceName.IsValidChildId(sessionId) || after is null or < 0 || await sessions.OwnerAsync(user.TenantId) is not { } owner
            || await sessions.OneAsync(user, owner, sessionId) is not { } view)
        {
            return Results.NotFound();
        }

        if (view.LastSequence <= after)
        {
            SessionWatchPage? watched;
            try
            {
                watched = await sessions.Grain(user.TenantId, sessionId).WatchAsync(owner, after.Value, 1, WatchWait);
            }
            catch (OrchestratorException stopping) when (stopping.Reason == Reasons.ClusterUnavailable)
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable); // the page polls again in a moment
            }

            if (watched is null)
            {
                return Results.NotFound();
            }

            // Nothing new for a while: the page asks again. A closed session has nothing more to wait for, so it is
            // drawn closed instead (answering 204 at once would have the page ask again at once, without end).
            if (watched.Page.Events.IsEmpty && !watched.Closed)
            {
                return Results.NoContent();
            }

            view = await sessions.OneAsync(user, owner, sessionId);
            if (view is null)
            {
                return Results.NotFound();
            }
        }

        var lobby = await sessions.WithRefusalsAsync(user, owner, view);
        return Results.Content(ConsolePages.Lobby(lobby, user, time.GetUtcNow()), "text/html; charset=utf-8");
    }

    /// <summary>Admit, deny or remove: the signed-in user asks the session, whose rules decide.</summary>
    private static async Task<IResult> ActAsync(string sessionId, HttpContext http, ConsoleCookies cookies, ConsoleSessions sessions)
    {
        if (cookies.User(http) is not { } user)
        {
            return PageResults.Refusal(http, new OrchestratorException(ErrorKind.Unauthenticated, Reasons.SignInExpired,
                "Only a signed-in organizer or delegated admitter can let people in. Open the lobby console and sign in."), "Not signed in");
        }

        if (await FormOfAsync(http, cookies) is not { } form)
        {
            return PageResults.Refusal(http, Forged());
        }

        var participant = form["participant"].ToString();
        var action = form["action"].ToString();
        if (!ResourceName.IsValidChildId(sessionId) || participant.Length is 0 or > MaxParticipantLength || !LobbyActions.IsKnown(action))
        {
            return PageResults.Refusal(http, OrchestratorException.Invalid(
                !ResourceName.IsValidChildId(sessionId) ? "session" : LobbyActions.IsKnown(action) ? "participant" : "action",
                "must come from the lobby console's buttons"));
        }

        if (await sessions.OwnerAsync(user.TenantId) is not { } owner)
        {
            return PageResults.Refusal(http, NotManaged());
        }

        var grain = sessions.Grain(user.TenantId, sessionId);
        var actor = ConsoleSessions.Actor(user);
        PageActions.Acting(http, $"console.{action}", $"{ResourceName.Tenant(user.TenantId)}/sessions/{sessionId}");
        try
        {
            await LobbyActions.DecideAsync(grain, owner, actor, action, participant);
        }
        catch (OrchestratorException ex)
        {
            return PageResults.Refusal(http, ex.Reason == SessionReasons.NotOrganizerSide
                ? new OrchestratorException(ex.Kind, ex.Reason, $"You are neither the organizer nor a delegated admitter of this session, so you cannot {action} anyone in it.")
                : ex, $"Could not {action}");
        }

        return Results.Redirect($"{WebLinks.ConsolePrefix}#s-{sessionId}");
    }

    /// <summary>The posted form when it carries the signed-in user's form token; null for a forged or tokenless post.</summary>
    private static Task<IFormCollection?> FormOfAsync(HttpContext http, ConsoleCookies cookies) =>
        PageCookies.FormWithTokenAsync(http, cookies.User(http)?.FormToken);

    private static IResult Content(string title, string body, string? script = null) =>
        Results.Content(Html.Page(title, body, script, wide: true), "text/html; charset=utf-8");

    internal static OrchestratorException Forged() => new(ErrorKind.PermissionDenied, Reasons.InvalidArgument,
        "This form has expired or did not come from the lobby console. Open the lobby console again.");

    private static OrchestratorException NotManaged() => new(ErrorKind.FailedPrecondition, Reasons.NotFound,
        "Your organization is not managed through RAOrchestrator, so it has no sessions here.");
}
