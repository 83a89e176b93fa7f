using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Server.Configuration;

namespace RAOrchestrator.Server.Web.Gate;

/// <summary>
/// Join posts are limited per client address and per session (fixed one-minute windows, ASP.NET Core rate limiting),
/// before the form is read; every other request passes untouched. A refused post gets a 429 page.
/// </summary>
public static class GateJoinLimits
{
    private const string RateLimited = "JOIN_RATE_LIMITED";

    public static void Configure(RateLimiterOptions options, WebOptions web)
    {
        options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, "address:" + http.Connection.RemoteIpAddress, web.GateJoinsPerMinutePerAddress)),
            PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, "session:" + http.Request.Query["session"], web.GateJoinsPerMinutePerSession)));
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = (context, _) =>
        {
            var http = context.HttpContext;
            var page = PageResults.Refusal(http, new OrchestratorException(ErrorKind.ResourceExhausted, RateLimited,
                "Too many requests to join came from here or for this session. Wait a minute and try again."), "Please wait");
            return new ValueTask(page.ExecuteAsync(http));
        };
    }

    private static RateLimitPartition<string> Partition(HttpContext http, string key, int perMinute) =>
        IsJoinPost(http)
            ? RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
            : RateLimitPartition.GetNoLimiter(string.Empty);

    private static bool IsJoinPost(HttpContext http) =>
        HttpMethods.IsPost(http.Request.Method) && http.Request.Path.Value?.TrimEnd('/') == WebLinks.GatePath;
}
