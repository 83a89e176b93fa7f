using Grpc.Core;
using Microsoft.Extensions.Options;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Server.Configuration;
using RAOrchestrator.Server.Security;

namespace RAOrchestrator.Server.Grpc;

/// <summary>
/// Every RPC except health and reflection needs an authenticated partner (<see cref="PartnerAuthenticator"/>: a valid
/// bearer token for this API's audience) with the role its method declares, and a permit of that partner's request
/// rate (<see cref="PartnerRequestRate"/>), taken only once the caller is known so a stranger spends no partner's
/// budget. Refusals are exceptions that <see cref="ErrorStatusMapping"/> turns into statuses with google.rpc details,
/// like every other error.
/// </summary>
public sealed class PartnerAuthorization(PartnerAuthenticator authenticator, PartnerRequestRate rate, IOptions<AuthOptions> options)
{
    private static readonly string[] OpenServices = ["/grpc.health.v1.Health/", "/grpc.reflection.v1alpha.ServerReflection/", "/grpc.reflection.v1.ServerReflection/"];

    /// <summary>Completes when the caller may make this call (and is then <see cref="Caller"/>); throws when not.</summary>
    public ValueTask AdmitAsync(ServerCallContext context)
    {
        if (IsOpen(context.Method))
        {
            return ValueTask.CompletedTask;
        }

        var authenticated = authenticator.AuthenticateAsync(context.GetHttpContext());
        if (authenticated.IsCompletedSuccessfully)
        {
            Authorize(context, authenticated.Result);
            return ValueTask.CompletedTask;
        }

        return AfterValidationAsync(authenticated, context);
    }

    private async ValueTask AfterValidationAsync(ValueTask<PartnerClaims?> authenticated, ServerCallContext context) =>
        Authorize(context, await authenticated);

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

        rate.Admit(caller.PartnerId);
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
