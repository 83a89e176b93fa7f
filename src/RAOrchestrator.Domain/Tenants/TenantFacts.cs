using RAOrchestrator.Domain.Directory;
using RAOrchestrator.Domain.SignInPasses;

namespace RAOrchestrator.Domain.Tenants;

/// <summary>What a check could not find out, with the reason it gives.</summary>
[GenerateSerializer, Immutable, Alias("raorch.FactFailure")]
public sealed record FactFailure([property: Id(0)] string Reason, [property: Id(1)] string Message);

/// <summary>
/// What onboarding learned from the directory; each piece is null until read, and a failure keeps the reason.
/// The readiness report is computed from these facts and the partner's settings, so it changes when either does.
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.TenantFacts")]
public sealed record TenantFacts(
    [property: Id(0)] FactFailure? ConsentFailure,
    [property: Id(1)] bool ConsentVerified,
    [property: Id(2)] DirectoryOrganization? Organization,
    [property: Id(3)] IReadOnlyList<LicenceSku>? Licences,
    [property: Id(4)] bool? ApplicationAccessPolicy,
    [property: Id(5)] FactFailure? ApplicationAccessPolicyFailure,
    [property: Id(6)] DateTimeOffset? CheckedAt)
{
    public static readonly TenantFacts None = new(null, false, null, null, null, null, null);

    /// <summary>The tenant's Temporary Access Pass policy; null until read (or when reading it failed: see <see cref="PassPolicyFailure"/>).</summary>
    [Id(7)] public TemporaryAccessPassPolicy? PassPolicy { get; init; }

    [Id(8)] public FactFailure? PassPolicyFailure { get; init; }

    /// <summary>The application permissions granted to the MSP app in the tenant (its Graph token's roles); null until read.</summary>
    [Id(9)] public IReadOnlyList<string>? AppPermissions { get; init; }
}
