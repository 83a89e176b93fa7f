using System.Collections.Immutable;
using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Domain.Licensing;

/// <summary>
/// Which service account holds which directory user (by UPN, case-insensitive) in one tenant, so two accounts can
/// never hold the same user: deleting one would disable the other's. An account claims its UPN before its user is
/// created and releases it when its provisioning is undone or it is deleted. <see cref="Closed"/> while the tenant is
/// offboarded: no account may start then. Pure.
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.UpnClaims")]
public sealed record UpnClaims(
    [property: Id(0)] ImmutableDictionary<string, string> Holders,
    [property: Id(1)] bool Closed)
{
    public const string UpnInUseByAccount = "UPN_IN_USE_BY_ACCOUNT";

    public static readonly UpnClaims Empty = new(ImmutableDictionary<string, string>.Empty, false);

    /// <summary>The account holding the UPN, or null.</summary>
    public string? HolderOf(string userPrincipalName) => Holders.GetValueOrDefault(Key(userPrincipalName));

    /// <summary>
    /// Records that <paramref name="account"/> holds the UPN, or says why it may not: FAILED_PRECONDITION /
    /// TENANT_NOT_ACTIVE while closed, ALREADY_EXISTS / UPN_IN_USE_BY_ACCOUNT when another account holds it.
    /// Idempotent per account.
    /// </summary>
    public (UpnClaims Claims, OrchestratorException? Refused) Claim(string userPrincipalName, string account, string tenantName)
    {
        if (HolderOf(userPrincipalName) is { } holder)
        {
            return holder == account
                ? (this, null)
                : (this, new OrchestratorException(ErrorKind.AlreadyExists, UpnInUseByAccount,
                    $"{OrchestratorException.Quote(userPrincipalName)} is the directory user of {holder}; two service accounts cannot share one user. Choose another UPN, or delete {holder} first."));
        }

        if (Closed)
        {
            return (this, new OrchestratorException(ErrorKind.FailedPrecondition, Reasons.TenantNotActive,
                $"{tenantName} is being offboarded; no service account can be created in it."));
        }

        return (this with { Holders = Holders.SetItem(Key(userPrincipalName), account) }, null);
    }

    /// <summary>Forgets whatever the account holds.</summary>
    public UpnClaims Release(string account)
    {
        var held = Holders.Where(h => h.Value == account).Select(h => h.Key).ToArray();
        return held.Length == 0 ? this : this with { Holders = Holders.RemoveRange(held) };
    }

    private static string Key(string userPrincipalName) => userPrincipalName.ToLowerInvariant();
}
