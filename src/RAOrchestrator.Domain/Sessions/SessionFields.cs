namespace RAOrchestrator.Domain.Sessions;

/// <summary>
/// The session rules' own names for what a refusal points at (<see cref="Errors.FieldViolation.Field"/>): members of
/// <see cref="ScheduleRequest"/>, <see cref="JoinRequest"/>, <see cref="Principal"/> and <see cref="OnlineMeeting"/>,
/// dotted, with <c>[i]</c> for an item of a list (<c>Invitees[2].Email</c>). The API edge maps them to its field names.
/// </summary>
public static class SessionFields
{
    public const string SessionName = nameof(ScheduleRequest.SessionName);
    public const string Subject = nameof(ScheduleRequest.Subject);
    public const string Start = nameof(ScheduleRequest.Start);
    public const string End = nameof(ScheduleRequest.End);
    public const string Lobby = nameof(ScheduleRequest.Lobby);
    public const string Invitees = nameof(ScheduleRequest.Invitees);
    public const string DelegatedAdmitters = nameof(ScheduleRequest.DelegatedAdmitters);

    /// <summary>The session's organizer (<see cref="SessionState.Organizer"/>).</summary>
    public const string Organizer = nameof(SessionState.Organizer);

    /// <summary>The person asking to join (<see cref="JoinRequest.Who"/>).</summary>
    public const string Who = nameof(JoinRequest.Who);

    public const string MeetingJoinUrl = nameof(SessionState.Meeting) + "." + nameof(OnlineMeeting.JoinUrl);

    public static string Invitee(int index) => $"{Invitees}[{index}]";

    public static string DelegatedAdmitter(int index) => $"{DelegatedAdmitters}[{index}]";

    /// <summary>A member of the person at <paramref name="person"/>: <c>DisplayName</c>, <c>Email</c>, <c>UserId</c> or <c>Kind</c>.</summary>
    public static string Of(string person, string member) => $"{person}.{member}";
}
