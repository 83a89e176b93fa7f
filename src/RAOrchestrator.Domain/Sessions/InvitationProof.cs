using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace RAOrchestrator.Domain.Sessions;

/// <summary>
/// Proof that an anonymous guest holds the invitation sent to an address: HMAC-SHA256 over a version tag, the session
/// name and the normalised address, keyed by a per-session key, in base64url (43 characters). The service puts it in the
/// gate link it mails to the invitee; the guest presents it when it asks to join.
/// <para>
/// The per-session key is not kept in session state: derive it with <see cref="DeriveSessionKey"/> from a service key the
/// host holds (configuration or a key vault), so a leaked state snapshot cannot mint proofs.
/// </para>
/// </summary>
public static class InvitationProof
{
    public const int KeyBytes = 32;
    private const string Tag = "raorch-invitation-v1";

    /// <summary>The session's proof key: HMAC-SHA256(serviceKey, "raorch-session-key-v1\n" + sessionName).</summary>
    public static byte[] DeriveSessionKey(ReadOnlySpan<byte> serviceKey, string sessionName)
    {
        if (serviceKey.Length < 16)
        {
            throw new ArgumentException("The service key must be at least 16 bytes.", nameof(serviceKey));
        }

        return HMACSHA256.HashData(serviceKey, Encoding.UTF8.GetBytes("raorch-session-key-v1\n" + sessionName));
    }

    public static string Create(ReadOnlySpan<byte> sessionKey, string sessionName, string invitedAddress)
    {
        Span<byte> mac = stackalloc byte[32];
        Compute(sessionKey, sessionName, invitedAddress, mac);
        return Base64Url.EncodeToString(mac);
    }

    /// <summary>True when <paramref name="proof"/> was made for this session and address; compares in constant time.</summary>
    public static bool Verify(ReadOnlySpan<byte> sessionKey, string sessionName, string invitedAddress, string? proof)
    {
        if (string.IsNullOrEmpty(proof) || proof.Length > 64 || sessionKey.IsEmpty)
        {
            return false;
        }

        Span<byte> presented = stackalloc byte[48];
        if (!Base64Url.IsValid(proof) || Base64Url.GetMaxDecodedLength(proof.Length) > presented.Length)
        {
            return false;
        }

        var status = Base64Url.DecodeFromChars(proof, presented, out _, out var written);
        if (status != System.Buffers.OperationStatus.Done || written != 32)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        Compute(sessionKey, sessionName, invitedAddress, expected);
        return CryptographicOperations.FixedTimeEquals(expected, presented[..written]);
    }

    private static void Compute(ReadOnlySpan<byte> key, string sessionName, string address, Span<byte> mac)
    {
        var message = Encoding.UTF8.GetBytes($"{Tag}\n{sessionName}\n{EmailAddress.Normalize(address)}");
        HMACSHA256.HashData(key, message, mac);
    }
}
