using System.Collections.Immutable;
using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Domain.Sessions;

/// <summary>The rules of scheduling a session and inviting more people to it.</summary>
public sealed partial record SessionState
{
    /// <summary>
    /// Every scheduling rule, without building anything: the grain calls it before creating the Teams meeting, then
    /// calls <see cref="Schedule"/> (which checks again) with the meeting Graph returned.
    /// </summary>
    public static SessionRefusal? CheckSchedule(ScheduleRequest request, SessionPolicyInputs inputs, DateTimeOffset now, SessionLimits? limits = null)
    {
        limits ??= SessionLimits.Default;
        if (request.IsMeetNow || request.Start is null || request.End is null)
        {
            return SessionRefusal.Of(SessionReasons.MeetNowNotSupported,
                "Remote Assist sessions must be scheduled meetings with a start and an end; an ad-hoc \"Meet Now\" meeting cannot be joined by out-of-tenant guests from Remote Assist.");
        }

        var violations = new List<FieldViolation>();
        if (string.IsNullOrWhiteSpace(request.SessionName))
        {
            violations.Add(new(SessionFields.SessionName, "is required"));
        }

        CheckText(request.Subject, limits.MaxSubjectLength, SessionFields.Subject, violations);
        var lobby = request.Lobby;
        if (lobby is not null && (!LobbySettings.IsValidMaxLobbyWait(lobby.MaxLobbyWait) || !Enum.IsDefined(lobby.Scope)))
        {
            violations.Add(new(SessionFields.Lobby, $"needs a defined scope and a maximum wait {LobbySettings.MaxLobbyWaitBounds}"));
        }

        if (violations.Count > 0)
        {
            return SessionRefusal.Of(SessionReasons.InvalidArgument, string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")), violations);
        }

        var (start, end) = (request.Start.Value, request.End.Value);
        if (end <= start)
        {
            return SessionRefusal.Of(SessionReasons.EndNotAfterStart, $"The session must end after it starts (start {start:O}, end {end:O}).", [new(SessionFields.End, "must be after the start")]);
        }

        if (end - start > limits.MaxDuration)
        {
            return SessionRefusal.Of(SessionReasons.SessionTooLong, $"A session may last at most {limits.MaxDuration.TotalHours:0.#} hours.", [new(SessionFields.End, $"must be at most {limits.MaxDuration} after the start")]);
        }

        if (start < now - limits.StartTolerance)
        {
            return SessionRefusal.Of(SessionReasons.StartInPast, $"The session cannot start in the past (start {start:O}, now {now:O}).", [new(SessionFields.Start, "must not be in the past")]);
        }

        var organizer = inputs.Organizer.User;
        if (organizer.Kind != PrincipalKind.TenantMember || organizer.TenantId != inputs.Tenant.TenantId || string.IsNullOrEmpty(organizer.UserId))
        {
            return SessionRefusal.Of(SessionReasons.OrganizerNotInTenant,
                "The organizer must be a member account of the session's tenant (a Remote Assist licence can only be assigned to a native member).");
        }

        if (!inputs.Organizer.HasRemoteAssistLicence)
        {
            return SessionRefusal.Of(SessionReasons.OrganizerNotLicensed, $"Organizer '{organizer.DisplayName}' has no Dynamics 365 Remote Assist licence.");
        }

        for (var i = 0; i < request.DelegatedAdmitters.Length; i++)
        {
            var a = request.DelegatedAdmitters[i];
            if (a.Kind != PrincipalKind.TenantMember || a.TenantId != inputs.Tenant.TenantId || string.IsNullOrEmpty(a.UserId))
            {
                return SessionRefusal.Of(SessionReasons.AdmitterNotInTenant,
                    $"Delegated admitter '{a.DisplayName}' must be a member account of the session's tenant.", [new(SessionFields.DelegatedAdmitter(i), "must be a member of the tenant")]);
            }
        }

        var distinct = request.Invitees.Select(p => p.Key).Distinct(StringComparer.Ordinal).Count();
        if (distinct > limits.MaxInvitees)
        {
            return SessionRefusal.Of(SessionReasons.InviteeLimitReached, $"A session may invite at most {limits.MaxInvitees} people.");
        }

        return CheckInvitees(request.Invitees, inputs, organizer.Key);
    }

    /// <summary>Creates the session (appending Scheduled and one Invited per invitee) or says why not.</summary>
    public static Decision<SessionState> Schedule(ScheduleRequest request, SessionPolicyInputs inputs, OnlineMeeting meeting, DateTimeOffset now, SessionLimits? limits = null)
    {
        limits ??= SessionLimits.Default;
        var refusal = CheckSchedule(request, inputs, now, limits);
        if (refusal is null && (!Uri.TryCreate(meeting.JoinUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps))
        {
            refusal = SessionRefusal.Of(SessionReasons.InvalidArgument, "The meeting's join URL must be an absolute https URL.", [new(SessionFields.MeetingJoinUrl, "must be an absolute https URL")]);
        }

        if (refusal is not null)
        {
            return new(null, refusal);
        }

        var organizer = inputs.Organizer.User;
        var policy = inputs.Organizer.Policy;
        var lobby = request.Lobby ?? new LobbySettings(policy.AutoAdmittedUsers, policy.AllowPstnUsersToBypassLobby, false, LobbySettings.DefaultMaxLobbyWait);
        var state = new SessionState(
            request.SessionName,
            inputs.Tenant.TenantId,
            organizer,
            request.Subject.Trim(),
            request.Start!.Value,
            request.End!.Value,
            SessionStatus.Scheduled,
            lobby,
            [.. request.DelegatedAdmitters.Select(a => a.Key).Distinct(StringComparer.Ordinal)],
            ImmutableDictionary<string, Invitation>.Empty,
            ImmutableDictionary<string, Participant>.Empty,
            ImmutableDictionary<string, TicketRecord>.Empty,
            ImmutableList<SessionEvent>.Empty,
            meeting,
            limits,
            now,
            null,
            null)
        {
            UpdatedAt = now,
        };

        var tx = new Tx(state);
        tx.Emit(now, SessionEventKind.Scheduled, null, organizer.Key, null);
        tx.AddInvitations(request.Invitees, organizer.Key, now, out _, out _);
        return new(tx.State, null);
    }

    /// <summary>Invites more people. Organizer side only; anonymous participants never may (<c>ANONYMOUS_CANNOT_INVITE</c>).</summary>
    public SessionStep<InviteDecision> Invite(SessionActor actor, IReadOnlyList<Principal> invitees, SessionPolicyInputs inputs, DateTimeOffset now)
    {
        var refusal = Closed() ?? AuthorizeOrganizerSide(actor, SessionReasons.AnonymousCannotInvite, "invite people");
        if (refusal is null && now >= End)
        {
            refusal = SessionRefusal.Of(SessionReasons.SessionWindowClosed, $"The session's schedule ended at {End:O}; nobody can be invited any more.");
        }

        refusal ??= CheckInvitees(invitees, inputs, Organizer.Key);
        if (refusal is null)
        {
            var newKeys = invitees.Select(p => p.Key).Where(k => !Invitations.ContainsKey(k)).Distinct(StringComparer.Ordinal).Count();
            if (Invitations.Count + newKeys > Limits.MaxInvitees)
            {
                refusal = SessionRefusal.Of(SessionReasons.InviteeLimitReached, $"A session may invite at most {Limits.MaxInvitees} people; it has {Invitations.Count}.");
            }
        }

        if (refusal is not null)
        {
            return Refuse<InviteDecision>(refusal);
        }

        var tx = new Tx(this);
        tx.AddInvitations(invitees, actor.Id, now, out var added, out var already);
        return tx.Done(new InviteDecision(added, already));
    }

    private static void CheckText(string? value, int max, string field, List<FieldViolation> violations)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            violations.Add(new(field, "is required"));
        }
        else if (value.Length > max)
        {
            violations.Add(new(field, $"must be at most {max} characters"));
        }
        else if (value.Any(char.IsControl))
        {
            violations.Add(new(field, "must not contain control characters"));
        }
    }
}
