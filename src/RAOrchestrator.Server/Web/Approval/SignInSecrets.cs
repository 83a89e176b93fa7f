using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace RAOrchestrator.Server.Web.Approval;

/// <summary>
/// The values of one approval sign-in. The browser keeps a random binding in a cookie; the PKCE verifier and the nonce
/// derive from it, so only that browser can finish the sign-in, and the tenant grain stores nothing but hashes.
/// </summary>
public sealed record SignInSecrets(string Binding)
{
    public static SignInSecrets New() => new(Random());

    /// <summary>The PKCE code verifier (43 characters of base64url).</summary>
    public string Verifier => Derive("pkce");

    /// <summary>The S256 code challenge sent with the authorization request.</summary>
    public string Challenge => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));

    /// <summary>The nonce the id token must carry.</summary>
    public string Nonce => Derive("nonce");

    /// <summary>What the tenant grain keeps to recognise this browser.</summary>
    public string BindingHash => Hash("bind:" + Binding);

    public static string Random() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private string Derive(string purpose) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(purpose + ":" + Binding)));
}
