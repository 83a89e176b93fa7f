namespace RAOrchestrator.Domain.SignInPasses;

/// <summary>
/// A tenant's Temporary Access Pass policy as Graph reports it
/// (<c>/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass</c>): whether passes
/// may be issued, to whom (<c>all_users</c> or group ids), the lifetime bounds in minutes, whether every pass is
/// one-time, and the pass length.
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.TemporaryAccessPassPolicy")]
public sealed record TemporaryAccessPassPolicy(
    [property: Id(0)] bool Enabled,
    [property: Id(1)] IReadOnlyList<string> IncludeTargetIds,
    [property: Id(2)] int DefaultLifetimeMinutes,
    [property: Id(3)] int MinimumLifetimeMinutes,
    [property: Id(4)] int MaximumLifetimeMinutes,
    [property: Id(5)] bool IsUsableOnce,
    [property: Id(6)] int DefaultLength)
{
    /// <summary>The include target that means every user of the tenant.</summary>
    public const string AllUsers = "all_users";

    public bool TargetsAllUsers => IncludeTargetIds.Contains(AllUsers, StringComparer.OrdinalIgnoreCase);
}

/// <summary>A pass the directory created: the secret itself (only ever returned to the caller), its method id and validity.</summary>
public sealed record IssuedPass(string MethodId, string Pass, DateTimeOffset StartsAt, int LifetimeMinutes, bool IsUsableOnce)
{
    public DateTimeOffset ExpiresAt => StartsAt.AddMinutes(LifetimeMinutes);

    /// <summary>Never the pass: records are printed by loggers and debuggers.</summary>
    public override string ToString() =>
        $"IssuedPass {{ MethodId = {MethodId}, StartsAt = {StartsAt:O}, LifetimeMinutes = {LifetimeMinutes}, IsUsableOnce = {IsUsableOnce} }}";
}
