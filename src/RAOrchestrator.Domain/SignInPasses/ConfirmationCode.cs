using System.Security.Cryptography;
using System.Text;

namespace RAOrchestrator.Domain.SignInPasses;

/// <summary>
/// The short code mailed separately to the expert, which the link's page asks for before it shows the pass: six
/// digits, kept only as an HMAC under the link's code key (so the stored value cannot be tried against the million
/// codes without the link). Pure.
/// </summary>
public static class ConfirmationCode
{
    public const int Digits = 6;

    public static string New() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>What people type, as a code: digits only (spaces and dashes dropped); null when it cannot be one.</summary>
    public static string? Normalize(string? typed)
    {
        if (typed is null || typed.Length > 32)
        {
            return null;
        }

        var digits = new string([.. typed.Where(c => c is not (' ' or '-'))]);
        return digits.Length == Digits && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    public static byte[] Mac(HandoffKeys keys, string code) => HMACSHA256.HashData(keys.CodeKey, Encoding.ASCII.GetBytes(code));

    /// <summary>Whether <paramref name="code"/> is the one <paramref name="mac"/> was made of, compared in fixed time.</summary>
    public static bool Matches(HandoffKeys keys, string code, byte[] mac) => CryptographicOperations.FixedTimeEquals(Mac(keys, code), mac);
}
