using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace RAOrchestrator.GraphEmulator.SignIn;

/// <summary>Proof Key for Code Exchange (RFC 7636): <c>S256</c> and <c>plain</c>.</summary>
public static class Pkce
{
    public const string S256 = "S256";
    public const string Plain = "plain";

    public static bool IsSupportedMethod(string method) => method is S256 or Plain;

    public static bool Verify(string challenge, string method, string verifier)
    {
        var expected = method == S256 ? Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) : verifier;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(challenge));
    }
}
