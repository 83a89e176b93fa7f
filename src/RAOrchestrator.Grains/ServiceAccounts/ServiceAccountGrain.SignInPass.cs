using RAOrchestrator.Abstractions.ServiceAccounts;
using RAOrchestrator.Domain.Errors;
using RAOrchestrator.Domain.SignInPasses;

namespace RAOrchestrator.Grains.ServiceAccounts;

/// <summary>Sign-in passes: issued through the directory, recorded in the account's timeline without the pass.</summary>
public sealed partial class ServiceAccountGrain
{
    /// <summary>How many issued passes the account's timeline keeps (and so how many request ids a retry is recognized by).</summary>
    public const int PassHistoryLimit = 20;

    public async Task<SignInPassAnswer> IssueSignInPassAsync(string requestKey, SignInPassAsk ask)
    {
        if (!State.Exists)
        {
            throw OrchestratorException.NotFound(Name);
        }

        if (requestKey.Length > 0 && State.SignInPasses.LastOrDefault(p => p.RequestKey == requestKey) is { } earlier)
        {
            // A repeat: the pass was shown to the first call only and never stored; answer its metadata and issue none.
            return new SignInPassAnswer(State.Spec!.UserPrincipalName, string.Empty, earlier, Replayed: true);
        }

        RequireActive("get a sign-in pass");
        var policy = await passes.GetPassPolicyAsync(TenantId);
        var terms = PassRequestRules.Check(policy, ask.LifetimeMinutes, ask.UsableOnce, "lifetime", "usable_once");

        // Graph keeps one pass per user: this replaces any earlier one. A crash before the record below is written
        // leaves that pass unrecorded; a retry then issues a new one, which replaces it, so one usable pass remains.
        var issued = await passes.CreatePassAsync(TenantId, State.UserId, terms);
        var record = new IssuedPassRecord(requestKey, issued.MethodId, issued.StartsAt, issued.ExpiresAt, issued.IsUsableOnce, ask.Delivery);
        State.SignInPasses.Add(record);
        if (State.SignInPasses.Count > PassHistoryLimit)
        {
            State.SignInPasses.RemoveRange(0, State.SignInPasses.Count - PassHistoryLimit);
        }

        State.UpdateTime = time.GetUtcNow();
        State.Version++;
        await state.WriteOrDeactivateAsync(this);
        return new SignInPassAnswer(State.Spec!.UserPrincipalName, issued.Pass, record, Replayed: false);
    }
}
