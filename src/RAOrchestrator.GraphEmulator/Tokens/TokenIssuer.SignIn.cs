using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace RAOrchestrator.GraphEmulator.Tokens;

/// <summary>A user who signed in, as their tokens describe them.</summary>
public sealed record SignedInUser(string Id, string DisplayName, string UserPrincipalName, IReadOnlyList<string> Wids);

public sealed partial class TokenIssuer
{
    /// <summary>
    /// The id token (v2.0, for the app) and an access token (v1.0, for Graph's User.Read) of a user's sign-in, both signed
    /// with the key the tenant's JWKS publishes. The emulator's Graph does not accept the access token (no delegated calls).
    /// </summary>
    public (string IdToken, string AccessToken, int ExpiresIn) MintSignInTokens(Uri baseAddress, string tenantId, string clientId,
        SignedInUser user, string? nonce, TimeSpan lifetime)
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

        var id = Sign(GraphKey, TenantIssuerUri(baseAddress, tenantId), clientId, lifetime, idClaims);
        var access = Sign(GraphKey, GraphIssuer(tenantId), GraphAppId, lifetime, new Dictionary<string, object>
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

    /// <summary>Entra's v2.0 issuer of a tenant, <c>{base}{tenantId}/v2.0</c> (what its openid-configuration says).</summary>
    public static string TenantIssuerUri(Uri baseAddress, string tenantId) => new Uri(baseAddress, $"{tenantId}/v2.0").ToString();

    /// <summary>A <c>sub</c> that is stable for one user and one app, and differs between apps (Entra's pairwise subject).</summary>
    private static string PairwiseSubject(string tenantId, string userId, string clientId) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId}/{userId}/{clientId}".ToLowerInvariant())));
}
