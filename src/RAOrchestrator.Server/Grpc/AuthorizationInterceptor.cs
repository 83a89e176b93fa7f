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
        if (OpenServices.Any(s => context.Method.StartsWith(s, StringComparison.Ordinal)))
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

        var roles = user.FindAll(auth.RolesClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var granted = roles.Contains(PartnerRoleNames.Write) ? PartnerRole.Write : roles.Contains(PartnerRoleNames.Read) ? PartnerRole.Read : (PartnerRole?)null;
        var required = http.GetEndpoint()?.Metadata.GetMetadata<RequiresRoleAttribute>()?.Role;
        if (required is null || granted is null || required == PartnerRole.Write && granted != PartnerRole.Write)
        {
            var needed = required == PartnerRole.Read ? PartnerRoleNames.Read + " or " + PartnerRoleNames.Write : PartnerRoleNames.Write;
            throw new OrchestratorException(ErrorKind.PermissionDenied, Reasons.MissingRole,
                $"This call needs the role {needed} in the token's '{auth.RolesClaim}' claim.");
        }

        Caller.Set(context, new Caller(partnerId!, granted.Value));
    }
}
