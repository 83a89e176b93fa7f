using System.Security.Cryptography;
using System.Text;

namespace RAOrchestrator.Domain.Sessions;

/// <summary>
/// A participant's resource name, <c>tenants/{t}/sessions/{s}/participants/{p}</c>. A participant id
/// (<c>user:{tenant}/{user}</c>, <c>guest:{email}</c>) holds characters a name segment may not, and an e-mail address
/// that should not travel in a URL path, so <c>{p}</c> is <c>p</c> and 24 hex digits of the id's SHA-256: stable for
/// the same person in the same session, and the session finds the participant from it.
/// </summary>
public static class ParticipantNames
{
    public const string Collection = "participants";

    public static string Segment(string participantId) =>
        "p" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(participantId)).AsSpan(0, 12));

    public static string Of(string sessionName, string participantId) => $"{sessionName}/{Collection}/{Segment(participantId)}";

    /// <summary>True for a string shaped like a segment this service makes.</summary>
    public static bool IsSegment(string value) =>
        value.Length == 25 && value[0] == 'p' && value.AsSpan(1).ContainsAnyExcept("0123456789abcdef") is false;
}
