using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Server.Configuration;
using RAOrchestrator.Server.Security;

namespace RAOrchestrator.Server.Grpc;

/// <summary>
/// Every RPC except health and reflection needs an authenticated partner with the role its method declares.
/// The JWT handler has already validated the token (issuer, audience, signature, lifetime) when one was sent.
/// </summary>
public sealed class AuthorizationInterceptor(IOptions<AuthOptions> options) : Interceptor
{
    private static readonly string[] OpenServices = ["/grpc.health.v1.Health/", "/grpc.reflection.v1alpha.ServerReflection/", "/grpc.reflection.v1.ServerReflection/"];

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    private void Authorize(ServerCallContext context)
    {
        if (IsOpen(context.Method))
        {
            return;
        }

        var http = context.GetHttpContext();
        var user = http.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            throw new OrchestratorException(ErrorKind.Unauthenticated, Reasons.Unauthenticated,
                "Send a valid bearer token in the authorization header (issued by the configured partner issuer for this API's audience, not expired).");
        }

        var auth = options.Value;
        var partnerId = user.FindFirst(auth.PartnerClaim)?.Value;
        if (!PartnerId.IsValid(partnerId))
        {
            throw new OrchestratorException(ErrorKind.PermissionDenied, Reasons.PartnerClaimMissing,
                $"The token has no valid '{auth.PartnerClaim}' claim (1 to 64 lower-case letters, digits and '-').");
        }

        var granted = GrantedRole(user, auth.RolesClaim);
        var required = http.GetEndpoint()?.Metadata.GetMetadata<RequiresRoleAttribute>()?.Role;
        if (required is null || granted is null || required == PartnerRole.Write && granted != PartnerRole.Write)
        {
            var needed = required == PartnerRole.Read ? PartnerRoleNames.Read + " or " + PartnerRoleNames.Write : PartnerRoleNames.Write;
            throw new OrchestratorException(ErrorKind.PermissionDenied, Reasons.MissingRole,
                $"This call needs the role {needed} in the token's '{auth.RolesClaim}' claim.");
        }

        Caller.Set(context, new Caller(partnerId!, granted.Value));
    }

    private static bool IsOpen(string method)
    {
        foreach (var prefix in OpenServices)
        {
            if (method.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Write when the token holds the write role, else Read when it holds the read role, else none.</summary>
    private static PartnerRole? GrantedRole(System.Security.Claims.ClaimsPrincipal user, string rolesClaim)
    {
        PartnerRole? granted = null;
        foreach (var claim in user.FindAll(rolesClaim))
        {
            if (string.Equals(claim.Value, PartnerRoleNames.Write, StringComparison.Ordinal))
            {
                return PartnerRole.Write;
            }

            if (string.Equals(claim.Value, PartnerRoleNames.Read, StringComparison.Ordinal))
            {
                granted = PartnerRole.Read;
            }
        }

        return granted;
    }
}
