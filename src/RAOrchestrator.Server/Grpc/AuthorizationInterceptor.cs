using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Server.Configuration;
using RAOrchestrator.Server.Security;

namespace RAOrchestrator.Server.Grpc;

/// <summary>
/// Every RPC except health and reflection needs an authenticated partner (<see cref="PartnerAuthenticator"/>: a valid
/// bearer token for this API's audience) with the role its method declares. Refusals are exceptions the error-mapping
/// interceptor turns into statuses with google.rpc details, like every other error.
/// </summary>
public sealed class AuthorizationInterceptor(PartnerAuthenticator authenticator, IOptions<AuthOptions> options) : Interceptor
{
    private static readonly string[] OpenServices = ["/grpc.health.v1.Health/", "/grpc.reflection.v1alpha.ServerReflection/", "/grpc.reflection.v1.ServerReflection/"];

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (IsOpen(context.Method))
        {
            return continuation(request, context);
        }

        var authenticated = authenticator.AuthenticateAsync(context.GetHttpContext());
        if (authenticated.IsCompletedSuccessfully)
        {
            Authorize(context, authenticated.Result);
            return continuation(request, context);
        }

        return AfterValidationAsync(authenticated, request, context, continuation);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (!IsOpen(context.Method))
        {
            Authorize(context, await authenticator.AuthenticateAsync(context.GetHttpContext()));
        }

        await continuation(request, responseStream, context);
    }

    private async Task<TResponse> AfterValidationAsync<TRequest, TResponse>(ValueTask<PartnerClaims?> authenticated, TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        Authorize(context, await authenticated);
        return await continuation(request, context);
    }

    private void Authorize(ServerCallContext context, PartnerClaims? claims)
    {
        if (claims is null)
        {
            throw new OrchestratorException(ErrorKind.Unauthenticated, Reasons.Unauthenticated,
                "Send a valid bearer token in the authorization header (issued by the configured partner issuer for this API's audience, not expired).");
        }

        var auth = options.Value;
        if (!claims.HasValidPartnerId)
        {
            throw new OrchestratorException(ErrorKind.PermissionDenied, Reasons.PartnerClaimMissing,
                $"The token has no valid '{auth.PartnerClaim}' claim (1 to 64 lower-case letters, digits and '-').");
        }

        var required = context.GetHttpContext().GetEndpoint()?.Metadata.GetMetadata<RequiresRoleAttribute>()?.Role;
        if (required is null || claims.Caller is not { } caller || required == PartnerRole.Write && caller.Role != PartnerRole.Write)
        {
            var needed = required == PartnerRole.Read ? PartnerRoleNames.Read + " or " + PartnerRoleNames.Write : PartnerRoleNames.Write;
            throw new OrchestratorException(ErrorKind.PermissionDenied, Reasons.MissingRole,
                $"This call needs the role {needed} in the token's '{auth.RolesClaim}' claim.");
        }

        Caller.Set(context, caller);
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
}
