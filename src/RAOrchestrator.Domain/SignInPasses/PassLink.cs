using System.Security.Cryptography;
using System.Text;

namespace RAOrchestrator.Domain.SignInPasses;

/// <summary>
/// The secret of a one-time pass link: 32 random bytes, written in the mail's link (after the <c>#</c>, so no server or
/// proxy log ever sees it) and nowhere else. Everything the service keeps is derived from it one way: the handoff's id
/// (which names where the sealed pass is kept), the key that seals the pass, and the key that checks the confirmation
/// code. Whoever holds only the service's storage can neither open the pass nor test a code. Pure.
/// </summary>
public sealed class PassLink
{
    private const int SecretBytes = 32;

    /// <summary>The length of <see cref="Text"/>: 32 bytes in unpadded base64url.</summary>
    public const int TextLength = 43;

    private PassLink(byte[] secret, string text)
    {
        Text = text;
        Keys = new HandoffKeys(
            Base64Url(Derive(secret, "raorchestrator pass handoff id")),
            Derive(secret, "raorchestrator pass seal key"),
            Derive(secret, "raorchestrator pass code key"));
    }

    /// <summary>The secret as it goes into the link. Only the mail carries it.</summary>
    public string Text { get; }

    /// <summary>What the service works with: the handoff's id and the two keys.</summary>
    public HandoffKeys Keys { get; }

    public static PassLink New()
    {
        var secret = RandomNumberGenerator.GetBytes(SecretBytes);
        return new PassLink(secret, Base64Url(secret));
    }

    /// <summary>The link's secret as a browser posts it back; null for anything that is not one (wrong length or alphabet).</summary>
    public static PassLink? TryParse(string? text)
    {
        if (text is not { Length: TextLength } || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return null;
        }

        var padded = text.Replace('-', '+').Replace('_', '/') + "=";
        var bytes = new byte[SecretBytes + 2];
        return Convert.TryFromBase64String(padded, bytes, out var written) && written == SecretBytes && Base64Url(bytes[..SecretBytes]) == text
            ? new PassLink(bytes[..SecretBytes], text)
            : null;
    }

    /// <summary>Never the secret: objects are printed by loggers and debuggers.</summary>
    public override string ToString() => $"PassLink {{ HandoffId = {Keys.HandoffId} }}";

    private static byte[] Derive(byte[] secret, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: Encoding.ASCII.GetBytes(purpose));

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// What a link's secret yields: the handoff's id and the keys that seal the pass and check the confirmation code.
/// <see cref="ToString"/> leaves the keys out.
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.HandoffKeys")]
public sealed record HandoffKeys([property: Id(0)] string HandoffId, [property: Id(1)] byte[] SealKey, [property: Id(2)] byte[] CodeKey)
{
    public override string ToString() => $"HandoffKeys {{ HandoffId = {HandoffId} }}";
}
