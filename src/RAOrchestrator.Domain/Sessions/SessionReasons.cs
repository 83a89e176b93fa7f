using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Domain.Sessions;

/// <summary>
/// The UPPER_SNAKE reasons a session rule can refuse with (google.rpc.ErrorInfo.reason at the API edge).
/// <see cref="KindOf"/> gives the gRPC class each maps to. Never rename a published code.
/// </summary>
public static class SessionReasons
{
    // Scheduling
    public const string MeetNowNotSupported = "MEET_NOW_NOT_SUPPORTED";
    public const string OrganizerNotLicensed = "ORGANIZER_NOT_LICENSED";
    public const string OrganizerNotInTenant = "ORGANIZER_NOT_IN_TENANT";
    public const string AdmitterNotInTenant = "ADMITTER_NOT_IN_TENANT";
    public const string EndNotAfterStart = "SESSION_END_NOT_AFTER_START";
    public const string SessionTooLong = "SESSION_TOO_LONG";
    public const string StartInPast = "SESSION_START_IN_PAST";
    public const string AnonymousJoinDisabled = "ANONYMOUS_JOIN_DISABLED";
    public const string ExternalAccessBlocked = "EXTERNAL_ACCESS_BLOCKED";
    public const string InformationBarrier = "INFORMATION_BARRIER";
    public const string IdentityTenantMismatch = "IDENTITY_TENANT_MISMATCH";
    public const string InviteeLimitReached = "INVITEE_LIMIT_REACHED";
    public const string InvalidArgument = Reasons.InvalidArgument;

    // Permissions
    public const string AnonymousCannotInvite = "ANONYMOUS_CANNOT_INVITE";
    public const string AnonymousCannotAdmit = "ANONYMOUS_CANNOT_ADMIT";
    public const string NotOrganizerSide = "NOT_ORGANIZER_OR_ADMITTER";

    // Session life
    public const string IllegalTransition = "SESSION_ILLEGAL_TRANSITION";
    public const string SessionNotStarted = "SESSION_NOT_STARTED";
    public const string SessionWindowClosed = "SESSION_WINDOW_CLOSED";
    public const string SessionEnded = "SESSION_ENDED";
    public const string SessionCancelled = "SESSION_CANCELLED";
    public const string ScheduleElapsed = "SCHEDULE_ELAPSED";

    // Joining and the lobby
    public const string ClientNotSupported = "CLIENT_NOT_SUPPORTED";
    public const string ParticipantLimitReached = "PARTICIPANT_LIMIT_REACHED";
    public const string JoinAttemptLimitReached = "JOIN_ATTEMPT_LIMIT_REACHED";
    public const string AnonymousLobbyLimitReached = "ANONYMOUS_LOBBY_LIMIT_REACHED";
    public const string RejoinProofRequired = "REJOIN_PROOF_REQUIRED";
    public const string AdmissionDenied = "ADMISSION_DENIED";
    public const string ParticipantRemoved = "PARTICIPANT_REMOVED";
    public const string ParticipantNotFound = "PARTICIPANT_NOT_FOUND";
    public const string ParticipantNotInLobby = "PARTICIPANT_NOT_IN_LOBBY";
    public const string ParticipantNotAdmitted = "PARTICIPANT_NOT_ADMITTED";
    public const string CannotRemoveOrganizer = "CANNOT_REMOVE_ORGANIZER";
    public const string LobbyTimeout = "LOBBY_TIMEOUT";
    public const string LobbyBypass = "LOBBY_BYPASS";
    public const string VerifiedInvitation = "VERIFIED_INVITATION";

    // Tickets
    public const string TicketAlreadyUsed = "TICKET_ALREADY_USED";
    public const string TicketExpired = "TICKET_EXPIRED";
    public const string TicketWrongSession = "TICKET_WRONG_SESSION";
    public const string TicketNotFound = "TICKET_NOT_FOUND";
    public const string TicketMalformed = "TICKET_MALFORMED";
    public const string TicketLimitReached = "TICKET_LIMIT_REACHED";
    public const string MeetingBeingReplaced = "MEETING_BEING_REPLACED";

    /// <summary>The gRPC class of a reason.</summary>
    public static ErrorKind KindOf(string reason) => reason switch
    {
        AnonymousCannotInvite or AnonymousCannotAdmit or NotOrganizerSide or InformationBarrier
            or ExternalAccessBlocked or AnonymousJoinDisabled or AdmissionDenied or ParticipantRemoved
            or OrganizerNotLicensed or ClientNotSupported or RejoinProofRequired => ErrorKind.PermissionDenied,
        ParticipantNotFound or TicketNotFound => ErrorKind.NotFound,
        MeetingBeingReplaced => ErrorKind.Unavailable,
        TicketAlreadyUsed => ErrorKind.AlreadyExists,
        InviteeLimitReached or ParticipantLimitReached or JoinAttemptLimitReached or TicketLimitReached or AnonymousLobbyLimitReached => ErrorKind.ResourceExhausted,
        InvalidArgument or EndNotAfterStart or SessionTooLong or StartInPast or MeetNowNotSupported
            or TicketMalformed or IdentityTenantMismatch => ErrorKind.InvalidArgument,
        _ => ErrorKind.FailedPrecondition,
    };
}

/// <summary>Why a rule refused: the reason code, its gRPC class, a sentence for people and, for input errors, the fields.</summary>
[GenerateSerializer, Immutable, Alias("raorch.sessions.SessionRefusal")]
public sealed record SessionRefusal(
    [property: Id(0)] string Reason,
    [property: Id(1)] ErrorKind Kind,
    [property: Id(2)] string Message,
    [property: Id(3)] IReadOnlyList<FieldViolation> Violations)
{
    public static SessionRefusal Of(string reason, string message, IReadOnlyList<FieldViolation>? violations = null) =>
        new(reason, SessionReasons.KindOf(reason), message, violations ?? []);

    /// <summary>The refusal as the exception the API edge turns into a gRPC status.</summary>
    public OrchestratorException ToException() => new(Kind, Reason, Message, Violations);

    public override string ToString() => $"{Reason}: {Message}";
}
