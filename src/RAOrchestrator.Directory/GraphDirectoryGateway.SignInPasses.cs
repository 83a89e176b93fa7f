using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.SignInPasses;

namespace RAOrchestrator.Directory;

/// <summary>
/// <see cref="ISignInPassGateway"/>: the tenant's Temporary Access Pass policy and users' passes over Graph v1.0. The pass
/// travels only in the create's response body, which neither the SDK's handlers nor ours log or trace.
/// </summary>
public sealed partial class GraphDirectoryGateway : ISignInPassGateway
{
    public Task<TemporaryAccessPassPolicy> GetPassPolicyAsync(string tenantId, CancellationToken cancellationToken = default) =>
        RunAsync(tenantId, "get_pass_policy", async () =>
        {
            try
            {
                var configuration = await Graph(tenantId).Policies.AuthenticationMethodsPolicy.AuthenticationMethodConfigurations[SignInPassErrors.PolicyId]
                    .GetAsync(cancellationToken: cancellationToken);
                return configuration is TemporaryAccessPassAuthenticationMethodConfiguration tap
                    ? ToDomain(tap)
                    : throw new OrchestratorException(ErrorKind.FailedPrecondition, GraphErrors.GraphRejected, $"Graph did not answer tenant {tenantId}'s Temporary Access Pass policy.");
            }
            catch (ODataError error) when (error.ResponseStatusCode == 403)
            {
                throw SignInPassErrors.PermissionMissing(tenantId, "Policy.Read.All");
            }
        });

    public Task<IssuedPass> CreatePassAsync(string tenantId, string userId, PassTerms terms, CancellationToken cancellationToken = default) =>
        RunAsync(tenantId, "create_pass", async () =>
        {
            try
            {
                var created = await Graph(tenantId).Users[userId].Authentication.TemporaryAccessPassMethods.PostAsync(new TemporaryAccessPassAuthenticationMethod
                {
                    LifetimeInMinutes = terms.LifetimeMinutes,
                    IsUsableOnce = terms.IsUsableOnce,
                }, cancellationToken: cancellationToken);
                if (created?.TemporaryAccessPass is not { Length: > 0 } pass || created.Id is null)
                {
                    throw new OrchestratorException(ErrorKind.Unavailable, GraphErrors.GraphUnavailable, $"Graph created no usable pass in tenant {tenantId}; the work will be retried.");
                }

                return new IssuedPass(created.Id, pass, created.StartDateTime ?? created.CreatedDateTime ?? time.GetUtcNow(),
                    created.LifetimeInMinutes ?? terms.LifetimeMinutes, created.IsUsableOnce ?? terms.IsUsableOnce);
            }
            catch (ODataError error) when (SignInPassErrors.FromCreate(error, tenantId) is { } known)
            {
                throw known;
            }
        });

    public Task DeletePassesAsync(string tenantId, string userId, CancellationToken cancellationToken = default) =>
        RunAsync(tenantId, "delete_passes", async () =>
        {
            var methods = Graph(tenantId).Users[userId].Authentication.TemporaryAccessPassMethods;
            TemporaryAccessPassAuthenticationMethodCollectionResponse? page;
            try
            {
                page = await methods.GetAsync(cancellationToken: cancellationToken);
            }
            catch (ODataError error) when (error.ResponseStatusCode == 404)
            {
                return true; // no such user: no pass either
            }
            catch (ODataError error) when (error.ResponseStatusCode == 403)
            {
                throw SignInPassErrors.PermissionMissing(tenantId, SignInPassErrors.WritePermission);
            }

            foreach (var id in (page?.Value ?? []).Select(m => m.Id).OfType<string>())
            {
                try
                {
                    await methods[id].DeleteAsync(cancellationToken: cancellationToken);
                }
                catch (ODataError error) when (error.ResponseStatusCode == 404)
                {
                    // deleted meanwhile (or replaced): done
                }
            }

            return true;
        });

    private static TemporaryAccessPassPolicy ToDomain(TemporaryAccessPassAuthenticationMethodConfiguration tap) => new(
        tap.State == AuthenticationMethodState.Enabled,
        [.. (tap.IncludeTargets ?? []).Select(t => t.Id).OfType<string>()],
        tap.DefaultLifetimeInMinutes ?? 60,
        tap.MinimumLifetimeInMinutes ?? 60,
        tap.MaximumLifetimeInMinutes ?? 480,
        tap.IsUsableOnce ?? false,
        tap.DefaultLength ?? 8);
}
