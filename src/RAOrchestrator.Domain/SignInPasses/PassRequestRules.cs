using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Domain.SignInPasses;

/// <summary>The lifetime and one-time use a pass will be created with, once checked against the tenant's policy.</summary>
public sealed record PassTerms(int LifetimeMinutes, bool IsUsableOnce);

/// <summary>
/// Whether a sign-in pass may be issued as asked under the tenant's Temporary Access Pass policy, and with which terms:
/// an unset lifetime takes the policy's default, an unset one-time use takes the policy's. Pure.
/// </summary>
public static class PassRequestRules
{
    public const string TapPolicyDisabled = "TAP_POLICY_DISABLED";
    public const string TapLifetimeOutOfBounds = "TAP_LIFETIME_OUT_OF_BOUNDS";
    public const string TapMustBeUsableOnce = "TAP_MUST_BE_USABLE_ONCE";

    /// <summary>Where the tenant runbook tells the administrator how to enable Temporary Access Pass.</summary>
    public const string RunbookSection = "Enable Temporary Access Pass";

    /// <summary>
    /// The terms to create the pass with, or FAILED_PRECONDITION: TAP_POLICY_DISABLED when the policy is off,
    /// TAP_LIFETIME_OUT_OF_BOUNDS (naming <paramref name="lifetimeField"/>, with the bounds in metadata) or
    /// TAP_MUST_BE_USABLE_ONCE (naming <paramref name="usableOnceField"/>) when the request asks for more than it allows.
    /// </summary>
    public static PassTerms Check(TemporaryAccessPassPolicy policy, int? lifetimeMinutes, bool? usableOnce, string lifetimeField, string usableOnceField)
    {
        if (!policy.Enabled)
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, TapPolicyDisabled,
                $"The tenant's Temporary Access Pass policy is disabled; an administrator enables it as the tenant runbook's section \"{RunbookSection}\" shows.")
            {
                Metadata = new Dictionary<string, string> { ["runbook_section"] = RunbookSection },
            };
        }

        var lifetime = lifetimeMinutes ?? policy.DefaultLifetimeMinutes;
        if (lifetime < policy.MinimumLifetimeMinutes || lifetime > policy.MaximumLifetimeMinutes)
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, TapLifetimeOutOfBounds,
                $"A lifetime of {lifetime} minutes is outside the tenant's Temporary Access Pass policy: {policy.MinimumLifetimeMinutes} to {policy.MaximumLifetimeMinutes} minutes.",
                [new FieldViolation(lifetimeField, $"must be between {policy.MinimumLifetimeMinutes} and {policy.MaximumLifetimeMinutes} minutes (the tenant's policy)")])
            {
                Metadata = new Dictionary<string, string>
                {
                    ["minimum_lifetime_minutes"] = policy.MinimumLifetimeMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["maximum_lifetime_minutes"] = policy.MaximumLifetimeMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
            };
        }

        if (policy.IsUsableOnce && usableOnce == false)
        {
            throw new OrchestratorException(ErrorKind.FailedPrecondition, TapMustBeUsableOnce,
                "The tenant's Temporary Access Pass policy makes every pass one-time; a reusable pass cannot be issued.",
                [new FieldViolation(usableOnceField, "must be true or unset: the tenant's policy allows one-time passes only")]);
        }

        return new PassTerms(lifetime, usableOnce ?? policy.IsUsableOnce);
    }
}
