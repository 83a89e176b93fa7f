using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Server.Web;

/// <summary>
/// What ops teams see of a page request: its span (ASP.NET Core's server span, exported like every other) names the
/// page action (the endpoint's name, such as <c>gate.join</c>), the session it acted on, and the reason of a refusal.
/// </summary>
public static class PageActions
{
    public const string ActionTag = "raorchestrator.page.action";
    public const string SessionTag = "raorchestrator.session";
    public const string ReasonTag = "raorchestrator.reason";

    /// <summary>
    /// Every endpoint of the group tags its span with its name (given with <c>WithName</c>) as the page action, and a
    /// failure no page expected (storage or the cluster unreachable, say) is logged and answered as a page saying to try
    /// again (503), never as an empty 500.
    /// </summary>
    public static RouteGroupBuilder TaggedWithPageActions(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>() is { } name)
            {
                Span(http)?.SetTag(ActionTag, name.EndpointName);
            }

            try
            {
                return await next(context);
            }
            catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested && !http.Response.HasStarted)
            {
                http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PageActions)).LogError(ex, "The page {Path} failed", http.Request.Path.Value);
                Span(http)?.SetStatus(ActivityStatusCode.Error);
                return PageResults.Refusal(http, ex as OrchestratorException ?? new OrchestratorException(ErrorKind.Unavailable, Reasons.Internal,
                    "Something went wrong on our side, not because of anything you did. Try again in a moment."), "Try again");
            }
        });
        return group;
    }

    /// <summary>A form post that does one of several things (admit, deny, remove): the span names which, and its session.</summary>
    public static void Acting(HttpContext http, string action, string sessionName)
    {
        Span(http)?.SetTag(ActionTag, action);
        Session(http, sessionName);
    }

    /// <summary>The session the action is about, once the page has found it (never the raw query).</summary>
    public static void Session(HttpContext http, string sessionName) => Span(http)?.SetTag(SessionTag, sessionName);

    /// <summary>Why the page refused: the domain's reason, the same one the API would answer.</summary>
    public static void Refused(HttpContext http, string reason) => Span(http)?.SetTag(ReasonTag, reason);

    private static Activity? Span(HttpContext http) => http.Features.Get<IHttpActivityFeature>()?.Activity;
}
