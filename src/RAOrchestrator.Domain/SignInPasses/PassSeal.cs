using System.Security.Cryptography;
using System.Text;

namespace RAOrchestrator.Domain.SignInPasses;

/// <summary>
/// Seals a pass under a link's key (AES-GCM, bound to the handoff's id) so it can wait, unreadable to the service, until
/// the expert opens the link and confirms the code. Pure.
/// </summary>
public static class PassSeal
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    /// <summary>Nonce, tag and ciphertext in one array.</summary>
    public static byte[] Seal(HandoffKeys keys, string pass)
    {
        var plain = Encoding.UTF8.GetBytes(pass);
        var sealedPass = new byte[NonceBytes + TagBytes + plain.Length];
        var nonce = sealedPass.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keys.SealKey, TagBytes);
        aes.Encrypt(nonce, plain, sealedPass.AsSpan(NonceBytes + TagBytes), sealedPass.AsSpan(NonceBytes, TagBytes), Encoding.ASCII.GetBytes(keys.HandoffId));
        CryptographicOperations.ZeroMemory(plain);
        return sealedPass;
    }

    /// <summary>The pass, or null when the key is not the one it was sealed with (or the bytes were changed).</summary>
    public static string? Open(HandoffKeys keys, byte[] sealedPass)
    {
        if (sealedPass.Length < NonceBytes + TagBytes)
        {
            return null;
        }

        var plain = new byte[sealedPass.Length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(keys.SealKey, TagBytes);
            aes.Decrypt(sealedPass.AsSpan(0, NonceBytes), sealedPass.AsSpan(NonceBytes + TagBytes), sealedPass.AsSpan(NonceBytes, TagBytes), plain, Encoding.ASCII.GetBytes(keys.HandoffId));
            return Encoding.UTF8.GetString(plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
