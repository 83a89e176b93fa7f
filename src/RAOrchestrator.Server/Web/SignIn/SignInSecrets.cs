using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace RAOrchestrator.Server.Web.SignIn;

/// <summary>
/// The values of one sign-in (tenant approval or lobby console). The browser keeps a random binding in a cookie; the PKCE verifier and the nonce
/// derive from it, so only that browser can finish the sign-in, and the host keeps nothing but hashes or protected cookies.
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
