using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace RAOrchestrator.GraphEmulator.Tokens;

/// <summary>
/// A user who signed in, as their tokens describe them. At the partner issuer a staff member also has a partner id
/// (emitted as <c>partner_id</c>) and the app roles assigned to them on the app (emitted as <c>roles</c>).
/// </summary>
public sealed record SignedInUser(string Id, string DisplayName, string UserPrincipalName, IReadOnlyList<string> Wids,
    string? PartnerId = null, IReadOnlyList<string>? AppRoles = null);

public sealed partial class TokenIssuer
{
    /// <summary>
    /// The id token (v2.0, for the app) and an access token (v1.0, for Graph's User.Read) of a user's sign-in, both signed
    /// with the key the tenant's JWKS publishes (the partner key at the partner issuer). The emulator's Graph does not accept
    /// the access token (no delegated calls).
    /// </summary>
    public (string IdToken, string AccessToken, int ExpiresIn) MintSignInTokens(Uri baseAddress, string tenantId, string clientId,
        SignedInUser user, string? nonce, TimeSpan lifetime, bool partnerIssuer = false)
    {
        var idClaims = new Dictionary<string, object>
        {
            ["sub"] = PairwiseSubject(tenantId, user.Id, clientId),
            ["oid"] = user.Id,
            ["tid"] = tenantId,
            ["name"] = user.DisplayName,
            ["preferred_username"] = user.UserPrincipalName,
            ["ver"] = "2.0",
            ["wids"] = user.Wids.ToList(),
        };
        if (nonce is not null)
        {
            idClaims["nonce"] = nonce;
        }

        AddPartnerClaims(idClaims, user);

        var key = partnerIssuer ? PartnerKey : GraphKey;
        var id = Sign(key, TenantIssuerUri(baseAddress, tenantId), clientId, lifetime, idClaims);
        var access = Sign(key, GraphIssuer(tenantId), GraphAppId, lifetime, new Dictionary<string, object>
        {
            ["tid"] = tenantId,
            ["oid"] = user.Id,
            ["sub"] = PairwiseSubject(tenantId, user.Id, GraphAppId),
            ["appid"] = clientId,
            ["upn"] = user.UserPrincipalName,
            ["name"] = user.DisplayName,
            ["scp"] = "openid profile email User.Read",
            ["idtyp"] = "user",
            ["ver"] = "1.0",
            ["wids"] = user.Wids.ToList(),
        });
        return (id, access, (int)lifetime.TotalSeconds);
    }

    /// <summary>
    /// A partner staff member's access token for the RAOrchestrator API (the device code flow of a command line signed in
    /// as the user): issued by the partner issuer for <see cref="PartnerAudience"/>, with the user's partner and the app
    /// roles assigned to them on the client app, as the service expects of any partner token.
    /// </summary>
    public string MintPartnerUserToken(Uri baseAddress, string issuerTenant, string clientId, SignedInUser user, TimeSpan lifetime)
    {
        var claims = new Dictionary<string, object>
        {
            ["sub"] = PairwiseSubject(issuerTenant, user.Id, PartnerAudience),
            ["oid"] = user.Id,
            ["tid"] = issuerTenant,
            ["azp"] = clientId,
            ["name"] = user.DisplayName,
            ["preferred_username"] = user.UserPrincipalName,
            ["scp"] = "user_impersonation",
            ["idtyp"] = "user",
            ["ver"] = "2.0",
        };
        AddPartnerClaims(claims, user);

        return Sign(PartnerKey, PartnerIssuerUri(baseAddress, issuerTenant), PartnerAudience, lifetime, claims);
    }

    /// <summary>A staff member's partner (<c>partner_id</c>) and app roles (<c>roles</c>), when they have them.</summary>
    private static void AddPartnerClaims(Dictionary<string, object> claims, SignedInUser user)
    {
        if (user.PartnerId is not null)
        {
            claims["partner_id"] = user.PartnerId;
        }

        if (user.AppRoles is { Count: > 0 } roles)
        {
            claims["roles"] = roles.ToList();
        }
    }

    /// <summary>Entra's v2.0 issuer of a tenant, <c>{base}{tenantId}/v2.0</c> (what its openid-configuration says).</summary>
    public static string TenantIssuerUri(Uri baseAddress, string tenantId) => new Uri(baseAddress, $"{tenantId}/v2.0").ToString();

    /// <summary>A <c>sub</c> that is stable for one user and one app, and differs between apps (Entra's pairwise subject).</summary>
    private static string PairwiseSubject(string tenantId, string userId, string clientId) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId}/{userId}/{clientId}".ToLowerInvariant())));
}
