using Microsoft.AspNetCore.DataProtection;
using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Server.Web.Gate;

/// <summary>
/// The guests' join page. A guest opens the link from the invitation mail, asks to join (the same JoinSession call
/// the API makes, as an anonymous guest, for the session's managing partner), waits with live updates, and once
/// admitted is sent once to the Teams meeting: the server redeems the ticket and redirects, so the meeting's URL is
/// never in a page.
/// </summary>
public static class GateEndpoints
{
    private const string CsrfCookie = "raorch-gate-csrf";
    private const int MaxNameLength = 100;
    private const int MaxEmailLength = 254;
    private const int MaxProofLength = 64;
    private static readonly TimeSpan WatchPoll = TimeSpan.FromSeconds(15);

    public static void MapGatePages(this IEndpointRouteBuilder app, string host)
    {
        var group = app.MapGroup(WebLinks.GatePath).RequireHost(host).TaggedWithPageActions();
        group.MapGet("/", ShowAsync).WithName("gate.show");
        group.MapPost("/", JoinAsync).DisableAntiforgery().WithName("gate.join");
        group.MapGet("/wait", WaitAsync).WithName("gate.wait");
        group.MapGet("/events", EventsAsync).WithName("gate.events");
        group.MapGet("/enter", EnterAsync).WithName("gate.enter");
        app.MapGet("/assets/gate.js", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=3600";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Text(GateScript.Source, "text/javascript; charset=utf-8");
        }).RequireHost(host);
    }

    private static async Task<IResult> ShowAsync(HttpContext http, IGrainFactory grains, IDataProtectionProvider protection, WebLinks links)
    {
        var query = http.Request.Query;
        if (await GateSession.FindAsync(http, grains) is not { } gate)
        {
            return PageResults.Refusal(http, NotFound(), "Session not found");
        }

        if (GateAttempt.Read(http, protection, gate.Name) is not null)
        {
            return SeeOther(http, WaitPath(gate.Name)); // a reload after asking keeps the place
        }

        var email = query["email"].ToString() is { Length: > 0 and <= MaxEmailLength } e ? e : null;
        var csrf = PageCookies.IssueFormToken(http, CsrfCookie, GateAttempt.Options(links, null));
        return PageResults.Page(http, "Join a session", GatePages.Ask(gate, email, csrf, GuestClient.IsPhone(http.Request.Headers.UserAgent)));
    }

    private static async Task<IResult> JoinAsync(HttpContext http, IGrainFactory grains, IDataProtectionProvider protection, WebLinks links)
    {
        if (!http.Request.HasFormContentType)
        {
            return PageResults.Refusal(http, OrchestratorException.Invalid("form", "must be a form post from the join page"));
        }

        var form = await http.Request.ReadFormAsync();
        if (!PageCookies.TokenMatches(http.Request.Cookies[CsrfCookie], form["csrf"]))
        {
            return PageResults.Refusal(http, new OrchestratorException(ErrorKind.PermissionDenied, Reasons.InvalidArgument,
                "This form has expired or did not come from the join page. Open the invitation link again."));
        }

        var query = http.Request.Query;
        if (await GateSession.FindAsync(http, grains) is not { } gate)
        {
            return PageResults.Refusal(http, NotFound(), "Session not found");
        }

        var name = form["name"].ToString().Trim();
        var email = (query["email"].ToString() is { Length: > 0 } linked ? linked : form["email"].ToString()).Trim();
        var proof = query["proof"].ToString();
        if (name.Length is 0 or > MaxNameLength || name.Any(char.IsControl))
        {
            return PageResults.Refusal(http, OrchestratorException.Invalid("name", $"must be your name, 1 to {MaxNameLength} characters"));
        }

        if (email.Length is < 3 or > MaxEmailLength || !email.Contains('@', StringComparison.Ordinal) || email.Any(char.IsControl))
        {
            return PageResults.Refusal(http, OrchestratorException.Invalid("email", "must be the email address you were invited at"));
        }

        if (proof.Length > MaxProofLength)
        {
            return PageResults.Refusal(http, OrchestratorException.Invalid("proof", "must be the proof from an invitation link"));
        }

        var client = GuestClient.Of(http.Request.Headers.UserAgent);
        var attempt = new GateAttempt(gate.Name, string.Empty, email, name, proof.Length == 0 ? null : proof, client);
        try
        {
            var outcome = await gate.Grain(grains).JoinAsync(gate.PartnerId, Person(attempt), client, attempt.Proof);
            attempt = attempt with { ParticipantId = outcome.Participant.Id };
        }
        catch (OrchestratorException ex)
        {
            return Refused(http, ex);
        }

        http.Response.Cookies.Append(GateAttempt.Cookie, attempt.Protect(protection), GateAttempt.Options(links, GateAttempt.Lifetime));
        return SeeOther(http, WaitPath(gate.Name));
    }

    private static async Task<IResult> WaitAsync(HttpContext http, IGrainFactory grains, IDataProtectionProvider protection)
    {
        if (await GateSession.FindAsync(http, grains) is not { } gate
            || GateAttempt.Read(http, protection, gate.Name) is not { } attempt)
        {
            return PageResults.Refusal(http, NotFound(), "Session not found");
        }

        var participant = gate.View.Participants.FirstOrDefault(p => p.Id == attempt.ParticipantId);
        PageResults.Secure(http, hostScripts: true);
        return Results.Content(Html.Page("Waiting to join", GatePages.Waiting(gate, attempt, participant, GuestState.Of(gate.View, attempt.ParticipantId))), "text/html; charset=utf-8");
    }

    /// <summary>Server-Sent Events: the attempt's state now, then each time it changes, fed by the session's watch; ends at a final state.</summary>
    private static async Task EventsAsync(HttpContext http, IGrainFactory grains, IDataProtectionProvider protection)
    {
        if (await GateSession.FindAsync(http, grains) is not { } gate
            || GateAttempt.Read(http, protection, gate.Name) is not { } attempt)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        var grain = gate.Grain(grains);
        var after = gate.View.LastSequence;
        var sent = string.Empty;
        var view = gate.View;
        var aborted = http.RequestAborted;
        while (!aborted.IsCancellationRequested)
        {
            var state = GuestState.Of(view, attempt.ParticipantId);
            await http.Response.WriteAsync(state == sent ? ": still\n\n" : $"data: {state}\n\n", aborted);
            await http.Response.Body.FlushAsync(aborted);
            sent = state;
            if (GuestState.IsFinal(state))
            {
                return;
            }

            SessionWatchPage? page;
            try
            {
                page = await grain.WatchAsync(gate.PartnerId, after, 100, WatchPoll).WaitAsync(aborted); // a closed tab ends the request now
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                return;
            }
            catch (OrchestratorException stopping) when (stopping.Reason == Reasons.ClusterUnavailable)
            {
                return; // the session's silo is stopping: the browser's event source connects again
            }

            after = page is { Page.Events.Length: > 0 } ? page.Page.Events[^1].Sequence : after;
            view = page is null ? null : await grain.TryGetAsync(gate.PartnerId);
        }
    }

    /// <summary>Admitted: the session issues and redeems a ticket for this attempt in one step, and the browser gets one 303 to the meeting.</summary>
    private static async Task<IResult> EnterAsync(HttpContext http, IGrainFactory grains, IDataProtectionProvider protection, WebLinks links)
    {
        if (await GateSession.FindAsync(http, grains) is not { } gate
            || GateAttempt.Read(http, protection, gate.Name) is not { } attempt)
        {
            return PageResults.Refusal(http, NotFound(), "Session not found");
        }

        string joinUrl;
        try
        {
            joinUrl = (await gate.Grain(grains).EnterAsync(gate.PartnerId, attempt.ParticipantId)).JoinUrl;
        }
        catch (OrchestratorException ex)
        {
            return Refused(http, ex);
        }

        http.Response.Cookies.Delete(GateAttempt.Cookie, GateAttempt.Options(links, null));
        return SeeOther(http, joinUrl);
    }

    private static PersonRef Person(GateAttempt attempt) => new(PersonKind.AnonymousGuest, null, null, attempt.Email, attempt.DisplayName);

    private static string WaitPath(string session) => $"{WebLinks.GatePath}/wait?session={Uri.EscapeDataString(session)}";

    private static IResult SeeOther(HttpContext http, string location)
    {
        PageResults.Secure(http);
        http.Response.Headers.Location = location;
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    private static IResult Refused(HttpContext http, OrchestratorException refusal) =>
        PageResults.Refusal(http, GatePages.Sentence(refusal.Reason) is { } sentence ? new OrchestratorException(refusal.Kind, refusal.Reason, sentence) : refusal, "You cannot join");

    private static OrchestratorException NotFound() =>
        new(ErrorKind.NotFound, Reasons.NotFound, "This join link is not valid, or the session is no longer open. Check the link in your invitation, or ask the organizer for a new one.");
}
