using RAOrchestrator.Domain.Tenants.Ownership;

namespace RAOrchestrator.Abstractions.Tenants;

/// <summary>What the customer's administrator asks for on the approval page.</summary>
public enum ApprovalDecision
{
    Approve = 1,
    Decline = 2,
}

/// <summary>What the approval page shows a tenant's administrator about a pending claim: who asks, and until when.</summary>
[GenerateSerializer, Immutable, Alias("raorch.ApprovalRequest")]
public sealed record ApprovalRequest(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string ClaimId,
    [property: Id(2)] string PartnerId,
    [property: Id(3)] string DisplayName,
    [property: Id(4)] ClaimStatus Status,
    [property: Id(5)] DateTimeOffset ExpireTime);

/// <summary>
/// A sign-in started from the approval page. Only hashes are kept: of the OAuth <c>state</c> that comes back with the
/// redirect, and of the random value in the browser's cookie from which the PKCE verifier and the nonce derive. So the
/// tenant grain stores nothing that completes a sign-in, and a redirect opened in another browser proves nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.ApprovalSignInStart")]
public sealed record ApprovalSignInStart(
    [property: Id(0)] string ClaimId,
    [property: Id(1)] string StateHash,
    [property: Id(2)] string BindingHash,
    [property: Id(3)] ApprovalDecision Decision);

/// <summary>A started sign-in, taken (once) when its redirect comes back.</summary>
[GenerateSerializer, Immutable, Alias("raorch.ApprovalSignIn")]
public sealed record ApprovalSignIn(
    [property: Id(0)] string ClaimId,
    [property: Id(1)] ApprovalDecision Decision);

/// <summary>How a decided claim ended.</summary>
[GenerateSerializer, Immutable, Alias("raorch.ClaimDecided")]
public sealed record ClaimDecided(
    [property: Id(0)] string PartnerId,
    [property: Id(1)] ClaimStatus Status,
    [property: Id(2)] string DisplayName);
