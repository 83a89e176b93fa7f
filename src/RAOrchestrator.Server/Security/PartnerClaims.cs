using System.Security.Claims;
using PartnerIdRules = RAOrchestrator.Domain.Resources.PartnerId;

namespace RAOrchestrator.Server.Security;

/// <summary>
/// What a valid partner token says about its caller: the partner claim (as sent, possibly malformed) and the strongest
/// role it grants. <see cref="Caller"/> is built once here, so a remembered token costs no allocation per call.
/// </summary>
public sealed class PartnerClaims
{
    public PartnerClaims(string? partnerId, PartnerRole? granted)
    {
        PartnerId = partnerId;
        Granted = granted;
        HasValidPartnerId = PartnerIdRules.IsValid(partnerId);
        Caller = granted is { } role && HasValidPartnerId ? new Caller(partnerId!, role) : null;
    }

    public string? PartnerId { get; }

    /// <summary>Write when the token holds the write role, else Read when it holds the read role, else none.</summary>
    public PartnerRole? Granted { get; }

    /// <summary>The caller when the partner claim is well formed and a role is granted; null otherwise.</summary>
    public Caller? Caller { get; }

    /// <summary>Whether the partner claim is well formed; checked once, not per call.</summary>
    public bool HasValidPartnerId { get; }

    /// <summary>Reads the partner claim and the roles claim (named by configuration) of a validated token.</summary>
    public static PartnerClaims From(ClaimsIdentity identity, string partnerClaim, string rolesClaim)
    {
        PartnerRole? granted = null;
        foreach (var claim in identity.FindAll(rolesClaim))
        {
            if (string.Equals(claim.Value, PartnerRoleNames.Write, StringComparison.Ordinal))
            {
                granted = PartnerRole.Write;
                break;
            }

            if (string.Equals(claim.Value, PartnerRoleNames.Read, StringComparison.Ordinal))
            {
                granted = PartnerRole.Read;
            }
        }

        return new PartnerClaims(identity.FindFirst(partnerClaim)?.Value, granted);
    }
}
