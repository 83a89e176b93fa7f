using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using RAOrchestrator.Abstractions.ServiceAccounts;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.SignInPasses;

namespace RAOrchestrator.Server.Web.Passes;

/// <summary>
/// The pass page, where a mailed sign-in pass's one-time link leads. The expert asks for a confirmation code (mailed
/// to the same address), types it, and sees the pass once, with how to sign in. Each step is one call of the pass's
/// handoff grain; the link's secret travels only in the address's fragment, form bodies and an encrypted cookie.
/// </summary>
public static class PassEndpoints
{
    private const string CsrfCookie = "raorch-pass-csrf";
    private const int MaxLinkLength = 128;

    /// <summary>The page's forms hold a token, a link or a code: a post larger than this is read no further.</summary>
    public const int MaxFormBytes = 4 * 1024;

    public static void MapPassPages(this IEndpointRouteBuilder app, string host)
    {
        var group = app.MapGroup(WebLinks.PassPath).RequireHost(host).TaggedWithPageActions();
        group.MapGet("/", Show).WithName("pass.show");
        group.MapPost("/code", SendCodeAsync).DisableAntiforgery().WithMetadata(new RequestSizeLimitAttribute(MaxFormBytes)).WithName("pass.code");
        group.MapGet("/confirm", ShowConfirm).WithName("pass.confirm");
        group.MapPost("/confirm", ConfirmAsync).DisableAntiforgery().WithMetadata(new RequestSizeLimitAttribute(MaxFormBytes)).WithName("pass.reveal");
        app.MapGet("/assets/pass.js", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=3600";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Text(PassScript.Source, "text/javascript; charset=utf-8");
        }).RequireHost(host);
    }

    private static IResult Show(HttpContext http, WebLinks links)
    {
        var csrf = PageCookies.IssueFormToken(http, CsrfCookie, PassVisit.Options(links, null));
        PageResults.Secure(http, hostScripts: true);
        return Results.Content(Html.Page("Your sign-in pass", PassPages.Ask(csrf)), "text/html; charset=utf-8");
    }

    /// <summary>Mails a code for the link posted (or, for "send a new code", the one the visit cookie holds), then asks for it.</summary>
    private static async Task<IResult> SendCodeAsync(HttpContext http, IGrainFactory grains, IDataProtectionProvider protection, WebLinks links)
    {
        if (await FormAsync(http) is not { } form)
        {
            return Forged(http);
        }

        var posted = form["link"].ToString();
        var link = posted.Length is > 0 and <= MaxLinkLength ? PassLink.TryParse(posted) : PassVisit.Read(http, protection)?.Link;
        if (link is null)
        {
            return PageResults.Refusal(http, PassHandoffRefusals.NotValid(), "This link does not work");
        }

        CodeSent sent;
        try
        {
            sent = await grains.GetGrain<IPassHandoffGrain>(link.Keys.HandoffId).SendCodeAsync(link.Keys);
        }
        catch (OrchestratorException ex)
        {
            return Refused(http, links, ex);
        }

        http.Response.Cookies.Append(PassVisit.Cookie, new PassVisit(link, sent.MaskedRecipient).Protect(protection), PassVisit.Options(links, PassVisit.Lifetime));
        PageResults.Secure(http);
        http.Response.Headers.Location = WebLinks.PassPath + "/confirm";
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    private static IResult ShowConfirm(HttpContext http, IDataProtectionProvider protection, WebLinks links)
    {
        if (PassVisit.Read(http, protection) is not { } visit)
        {
            return PageResults.Refusal(http, NoVisit(), "Open the link from your mail");
        }

        var csrf = PageCookies.IssueFormToken(http, CsrfCookie, PassVisit.Options(links, null));
        return PageResults.Page(http, "Confirm it is you", PassPages.Confirm(csrf, visit.MaskedRecipient));
    }

    /// <summary>The code typed: the pass once (and the account's timeline records it seen), or why not.</summary>
    private static async Task<IResult> ConfirmAsync(HttpContext http, IGrainFactory grains, IDataProtectionProvider protection, WebLinks links, ILoggerFactory logs)
    {
        if (await FormAsync(http) is not { } form)
        {
            return Forged(http);
        }

        if (PassVisit.Read(http, protection) is not { } visit)
        {
            return PageResults.Refusal(http, NoVisit(), "Open the link from your mail");
        }

        var csrf = form["csrf"].ToString();
        if (ConfirmationCode.Normalize(form["code"]) is not { } code)
        {
            PageActions.Refused(http, Reasons.InvalidArgument);
            return PageResults.Page(http, "Confirm it is you", PassPages.Confirm(csrf, visit.MaskedRecipient, "The code has six digits; type it as it is in the mail."), StatusCodes.Status400BadRequest);
        }

        PassShown shown;
        try
        {
            shown = await grains.GetGrain<IPassHandoffGrain>(visit.Link.Keys.HandoffId).ShowAsync(visit.Link.Keys, code);
        }
        catch (OrchestratorException ex) when (ex.Reason == PassHandoffRefusals.CodeWrong)
        {
            PageActions.Refused(http, ex.Reason);
            return PageResults.Page(http, "Confirm it is you", PassPages.Confirm(csrf, visit.MaskedRecipient, ex.Message), StatusCodes.Status400BadRequest);
        }
        catch (OrchestratorException ex)
        {
            return Refused(http, links, ex);
        }

        http.Response.Cookies.Delete(PassVisit.Cookie, PassVisit.Options(links, null));
        await RecordViewedAsync(grains, shown, visit.Link.Keys.HandoffId, logs);
        return PageResults.Page(http, "Your sign-in pass", PassPages.Shown(shown));
    }

    /// <summary>
    /// The account's timeline hears the pass was seen. The handoff already recorded it, so a failure here loses only
    /// the timeline's entry, never the pass's one-time showing; it is logged for ops.
    /// </summary>
    private static async Task RecordViewedAsync(IGrainFactory grains, PassShown shown, string handoffId, ILoggerFactory logs)
    {
        try
        {
            await grains.GetGrain<IServiceAccountGrain>(shown.AccountName).RecordPassViewedAsync(handoffId, shown.ViewedAt);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logs.CreateLogger(typeof(PassEndpoints)).LogWarning(ex, "The timeline of {Account} did not record its pass as seen", shown.AccountName);
        }
    }

    private static async Task<IFormCollection?> FormAsync(HttpContext http) =>
        await PageCookies.FormWithTokenAsync(http, http.Request.Cookies[CsrfCookie]);

    private static IResult Forged(HttpContext http) =>
        PageResults.Refusal(http, new OrchestratorException(ErrorKind.PermissionDenied, Reasons.InvalidArgument,
            "This form has expired or did not come from the pass page. Open the link from your mail again."));

    /// <summary>A refusal of the handoff in its own words; anything else (the tenant's mail set-up, say) as a sentence for the expert.</summary>
    private static IResult Refused(HttpContext http, WebLinks links, OrchestratorException refusal)
    {
        if (refusal.Reason is not (PassHandoffRefusals.CodeNotSent or PassHandoffRefusals.CodeExpired))
        {
            http.Response.Cookies.Delete(PassVisit.Cookie, PassVisit.Options(links, null));
        }

        return PageResults.Refusal(http, PassHandoffRefusals.IsHandoffRefusal(refusal.Reason) ? refusal : new OrchestratorException(refusal.Kind, refusal.Reason,
            "We could not send the code just now. Try again in a few minutes; if it keeps failing, tell your contact who set up the account."), "This did not work");
    }

    private static OrchestratorException NoVisit() => new(ErrorKind.FailedPrecondition, PassHandoffRefusals.CodeNotSent,
        "This page does not know your link (or too long passed since you asked for a code). Open the link from your mail again.");
}
