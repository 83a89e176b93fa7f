using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace RAOrchestrator.Domain.Sessions;

/// <summary>Random bytes for ticket ids. Production uses <see cref="CryptoSessionRandom"/>; tests pass a seeded one.</summary>
public interface ISessionRandom
{
    void Fill(Span<byte> buffer);
}

/// <summary>The operating system's cryptographic random generator.</summary>
public sealed class CryptoSessionRandom : ISessionRandom
{
    public static CryptoSessionRandom Instance { get; } = new();

    public void Fill(Span<byte> buffer) => RandomNumberGenerator.Fill(buffer);
}

/// <summary>
/// A one-time join ticket as handed to an admitted participant: the bearer token, the meeting's join URL and the expiry.
/// The token is <c>{base64url(session name)}.{base64url(32 random bytes)}</c>; only its SHA-256 is kept in session state,
/// so the state never holds a redeemable ticket.
/// </summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.JoinTicket")]
public sealed record JoinTicket(
    [property: Id(0)] string Token,
    [property: Id(1)] string SessionName,
    [property: Id(2)] string ParticipantId,
    [property: Id(3)] string JoinUrl,
    [property: Id(4)] DateTimeOffset IssuedAt,
    [property: Id(5)] DateTimeOffset ExpiresAt);

/// <summary>What session state remembers of a ticket: the token's hash, whose it is, and the join attempt it belongs to.</summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.TicketRecord")]
public sealed record TicketRecord(
    [property: Id(0)] string TokenHash,
    [property: Id(1)] string ParticipantId,
    [property: Id(2)] DateTimeOffset IssuedAt,
    [property: Id(3)] DateTimeOffset ExpiresAt,
    [property: Id(4)] DateTimeOffset? RedeemedAt,
    [property: Id(5)] int Attempt);

/// <summary>The result of redeeming a ticket: where to join and who it was for.</summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.TicketRedemption")]
public sealed record TicketRedemption(
    [property: Id(0)] string JoinUrl,
    [property: Id(1)] string ParticipantId,
    [property: Id(2)] DateTimeOffset RedeemedAt);

public static class TicketTokens
{
    public const int SecretBytes = 32;

    public static string NewToken(string sessionName, ISessionRandom random)
    {
        Span<byte> secret = stackalloc byte[SecretBytes];
        random.Fill(secret);
        return $"{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(sessionName))}.{Base64Url.EncodeToString(secret)}";
    }

    /// <summary>Splits a token into the session it names and its hash; false when it is not a token of ours.</summary>
    public static bool TryParse(string? token, out string sessionName, out string tokenHash)
    {
        sessionName = string.Empty;
        tokenHash = string.Empty;
        if (string.IsNullOrEmpty(token) || token.Length > 1024)
        {
            return false;
        }

        var dot = token.IndexOf('.');
        if (dot <= 0 || dot != token.LastIndexOf('.') || dot == token.Length - 1)
        {
            return false;
        }

        var sessionPart = token.AsSpan(0, dot);
        var secretPart = token.AsSpan(dot + 1);
        if (!Base64Url.IsValid(sessionPart) || !Base64Url.IsValid(secretPart) || Base64Url.GetMaxDecodedLength(secretPart.Length) < SecretBytes)
        {
            return false;
        }

        try
        {
            sessionName = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(sessionPart));
        }
        catch (FormatException)
        {
            return false;
        }

        tokenHash = Hash(token);
        return true;
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
