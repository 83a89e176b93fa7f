namespace RAOrchestrator.Grains.Sessions;

/// <summary>Settings of the session gate (configuration section <c>Sessions</c>).</summary>
public sealed class SessionGateOptions
{
    public const string Section = "Sessions";

    /// <summary>
    /// The join page that invitation mails link to. Empty (the default): the host's own join page,
    /// <c>{Web:PublicUrl}/join</c>. Otherwise the partner's own page (https), which asks this service to join on the
    /// guest's behalf (JoinSession) with the session name, address and proof from the link.
    /// </summary>
    public string GateUrl { get; set; } = string.Empty;

    /// <summary>
    /// Base64 of at least 16 random bytes from which each session's invitation-proof key is derived. Empty: invitation
    /// links carry no proof and sessions cannot auto-admit verified invitees.
    /// </summary>
    public string InvitationKey { get; set; } = string.Empty;

    /// <summary>The decoded <see cref="InvitationKey"/>, or empty.</summary>
    public byte[] InvitationKeyBytes() => InvitationKey.Length == 0 ? [] : Convert.FromBase64String(InvitationKey);
}
