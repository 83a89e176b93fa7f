using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Server.Configuration;

namespace RAOrchestrator.Server.Web;

/// <summary>
/// The pages strangers can post to are limited (fixed one-minute windows, ASP.NET Core rate limiting) before the form is
/// read: join posts per client address and per session, pass-page posts (asking for a code, typing it) per client
/// address. Every other request passes untouched. A refused post gets a 429 page.
/// </summary>
public static class PagePostLimits
{
    private const string RateLimited = "PAGE_RATE_LIMITED";

    public static void Configure(RateLimiterOptions options, WebOptions web)
    {
        options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(IsPostUnder(http, WebLinks.GatePath), "join-address:" + http.Connection.RemoteIpAddress, web.GateJoinsPerMinutePerAddress)),
            PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(IsPostUnder(http, WebLinks.GatePath), "join-session:" + http.Request.Query["session"], web.GateJoinsPerMinutePerSession)),
            PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(IsPostUnder(http, WebLinks.PassPath), "pass-address:" + http.Connection.RemoteIpAddress, web.PassPostsPerMinutePerAddress)));
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = (context, _) =>
        {
            var http = context.HttpContext;
            var what = IsPostUnder(http, WebLinks.PassPath) ? "Too many tries came from here." : "Too many requests to join came from here or for this session.";
            var page = PageResults.Refusal(http, new OrchestratorException(ErrorKind.ResourceExhausted, RateLimited, what + " Wait a minute and try again."), "Please wait");
            return new ValueTask(page.ExecuteAsync(http));
        };
    }

    private static RateLimitPartition<string> Partition(bool limited, string key, int perMinute) =>
        limited
            ? RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
            : RateLimitPartition.GetNoLimiter(string.Empty);

    /// <summary>A post to the page at <paramref name="path"/>: the join page itself, or any of the pass page's forms.</summary>
    private static bool IsPostUnder(HttpContext http, string path) =>
        HttpMethods.IsPost(http.Request.Method) && http.Request.Path.Value?.TrimEnd('/') is { } posted
        && (path == WebLinks.GatePath ? posted == path : posted.StartsWith(path, StringComparison.Ordinal));
}
