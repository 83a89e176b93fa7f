namespace RAOrchestrator.Domain.SignInPasses;

/// <summary>
/// A customer tenant's Temporary Access Passes (Microsoft Graph behind it). Failures are
/// <see cref="Errors.OrchestratorException"/>s with reasons a partner can act on; the pass itself appears only in
/// <see cref="IssuedPass"/>, never in an error, a log line or a trace.
/// </summary>
public interface ISignInPassGateway
{
    /// <summary>The tenant's Temporary Access Pass policy (state, targets, lifetime bounds, one-time use, length).</summary>
    Task<TemporaryAccessPassPolicy> GetPassPolicyAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a pass for the user with <paramref name="terms"/>; Graph keeps one per user, so it replaces any earlier
    /// pass (a retried create leaves one usable pass: the one returned). TAP_POLICY_DISABLED when the tenant's policy
    /// refuses it, GRAPH_PERMISSION_DENIED when the app lacks UserAuthMethod-TAP.ReadWrite.All.
    /// </summary>
    Task<IssuedPass> CreatePassAsync(string tenantId, string userId, PassTerms terms, CancellationToken cancellationToken = default);

    /// <summary>Deletes the user's pass methods; none left (or no such user) is done, so a retry is harmless.</summary>
    Task DeletePassesAsync(string tenantId, string userId, CancellationToken cancellationToken = default);
}
