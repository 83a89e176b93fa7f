using Google.Protobuf.WellKnownTypes;
using RAOrchestrator.Abstractions.Sessions;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Domain.Sessions;
using RAOrchestrator.Domain.Validation;
using V1 = RAOrchestrator.Contracts.V1;

namespace RAOrchestrator.Server.Mapping;

/// <summary>Sessions between the API's messages and the grain's records, with the edge's input checks.</summary>
public static class SessionMapping
{
    /// <summary>The person, or null (with a violation naming <paramref name="field"/>) when it is not a valid one.</summary>
    public static PersonRef? ToRef(V1.Person? person, Violations violations, string field, bool required = true)
    {
        switch (person?.IdentityCase)
        {
            case V1.Person.IdentityOneofCase.TenantUser:
                return IsObjectId(person.TenantUser.UserId, violations, $"{field}.tenant_user.user_id")
                    ? new PersonRef(PersonKind.TenantUser, null, person.TenantUser.UserId.ToLowerInvariant(), null, null)
                    : null;
            case V1.Person.IdentityOneofCase.FederatedUser:
                var tenantOk = TenantId.TryNormalize(person.FederatedUser.TenantId, out var tenant);
                if (!tenantOk)
                {
                    violations.Add($"{field}.federated_user.tenant_id", "must be an Entra tenant id (a GUID)");
                }

                return IsObjectId(person.FederatedUser.UserId, violations, $"{field}.federated_user.user_id") && tenantOk
                    ? new PersonRef(PersonKind.FederatedUser, tenant, person.FederatedUser.UserId.ToLowerInvariant(), null, null)
                    : null;
            case V1.Person.IdentityOneofCase.AnonymousGuest:
                var guest = person.AnonymousGuest;
                var ok = true;
                if (!EmailAddress.IsValid(guest.Email))
                {
                    violations.Add($"{field}.anonymous_guest.email", "must be an e-mail address (name@domain.example)");
                    ok = false;
                }

                if (guest.DisplayName.Length > DisplayName.MaxLength || guest.DisplayName.Any(char.IsControl))
                {
                    violations.Add($"{field}.anonymous_guest.display_name", $"must be at most {DisplayName.MaxLength} characters without control characters");
                    ok = false;
                }

                return ok ? new PersonRef(PersonKind.AnonymousGuest, null, null, EmailAddress.Normalize(guest.Email), guest.DisplayName.Trim()) : null;
            default:
                if (required)
                {
                    violations.Add(field, "is required: one of tenant_user, federated_user or anonymous_guest");
                }

                return null;
        }
    }

    public static LobbySettings? ToLobby(V1.LobbySettings? lobby, Violations violations, string field)
    {
        if (lobby is null)
        {
            return null;
        }

        if (!System.Enum.IsDefined(lobby.Scope))
        {
            violations.Add($"{field}.scope", "is not a known lobby scope");
        }

        var wait = ProtoTime.Read(lobby.MaxWait, LobbySettings.ShortestMaxLobbyWait, LobbySettings.LongestMaxLobbyWait, LobbySettings.MaxLobbyWaitBounds, violations, $"{field}.max_wait")
            ?? LobbySettings.DefaultMaxLobbyWait;

        if (lobby.Scope == V1.LobbyScope.Unspecified)
        {
            return lobby.MaxWait is null && !lobby.AutoAdmitVerifiedInvitees ? null : new LobbySettings(LobbyScope.Organization, false, lobby.AutoAdmitVerifiedInvitees, wait);
        }

        return new LobbySettings((LobbyScope)(int)lobby.Scope, false, lobby.AutoAdmitVerifiedInvitees, wait);
    }

    public static ClientKind ToClient(V1.ClientKind client, Violations violations, string field)
    {
        if (client == V1.ClientKind.Unspecified || !System.Enum.IsDefined(client))
        {
            violations.Add(field, "must say which app joins: REMOTE_ASSIST_HOLOLENS or TEAMS_DESKTOP (mobile clients cannot join)");
        }

        return (ClientKind)(int)client;
    }

    public static V1.Session ToProto(SessionView s)
    {
        var proto = new V1.Session
        {
            Name = s.Name,
            Organizer = ToPerson(s.Organizer),
            Subject = s.Subject,
            StartTime = Timestamp.FromDateTimeOffset(s.Start),
            EndTime = Timestamp.FromDateTimeOffset(s.End),
            Lobby = new V1.LobbySettings
            {
                Scope = (V1.LobbyScope)(int)s.Lobby.Scope,
                MaxWait = Duration.FromTimeSpan(s.Lobby.MaxLobbyWait),
                AutoAdmitVerifiedInvitees = s.Lobby.AutoAdmitVerifiedInvitees,
            },
            State = (V1.Session.Types.State)(int)s.Status,
            // No join_url: the URL reaches an admitted participant only when its ticket is redeemed.
            LastSequence = s.LastSequence,
            CloseReason = s.CloseReason ?? string.Empty,
            CreateTime = Timestamp.FromDateTimeOffset(s.CreatedAt),
            CloseTime = s.ClosedAt is { } closed ? Timestamp.FromDateTimeOffset(closed) : null,
            Etag = Etag.Format(s.Version),
            UpdateTime = Timestamp.FromDateTimeOffset(s.UpdatedAt),
        };
        proto.Invitations.AddRange(s.Invitations.Select(ToProto));
        proto.DelegatedAdmitters.AddRange(s.DelegatedAdmitterUserIds.Select(id => new V1.Person { TenantUser = new V1.Person.Types.TenantUser { UserId = id } }));
        proto.Participants.AddRange(s.Participants.Select(ToProto));
        proto.Events.AddRange((s.Events ?? []).Select(ToProto));
        return proto;
    }

    /// <summary>Whether GetSession or ListSessions asked for the timeline (FULL); unset is BASIC.</summary>
    public static bool WithTimeline(V1.SessionView view, Violations violations, string field)
    {
        if (!System.Enum.IsDefined(view))
        {
            violations.Add(field, "must be SESSION_VIEW_BASIC or SESSION_VIEW_FULL");
        }

        return view == V1.SessionView.Full;
    }

    public static V1.Invitation ToProto(InvitationView invitation) => new()
    {
        Id = invitation.Id,
        Person = ToPerson(invitation.Person),
        InvitationLink = invitation.Link ?? string.Empty,
        InviteTime = Timestamp.FromDateTimeOffset(invitation.InvitedAt),
    };

    public static V1.Participant ToProto(ParticipantView p) => new()
    {
        Id = p.Id,
        Name = p.Name,
        DisplayName = p.Person.DisplayName,
        Kind = p.Person.Kind switch
        {
            PrincipalKind.TenantMember => V1.Participant.Types.Kind.Member,
            PrincipalKind.TenantGuest => V1.Participant.Types.Kind.Guest,
            PrincipalKind.Federated => V1.Participant.Types.Kind.Federated,
            PrincipalKind.Anonymous => V1.Participant.Types.Kind.Anonymous,
            _ => V1.Participant.Types.Kind.DialIn,
        },
        TenantId = p.Person.TenantId ?? string.Empty,
        Email = p.Person.Email ?? string.Empty,
        Client = (V1.ClientKind)(int)p.Client,
        State = (V1.Participant.Types.State)(int)p.Status,
        StateReason = p.StatusReason ?? string.Empty,
        DecidedBy = p.DecidedBy ?? string.Empty,
        Invited = p.Invited,
        InvitationVerified = p.InvitationVerified,
        RequestTime = Timestamp.FromDateTimeOffset(p.RequestedAt),
        AdmitTime = p.AdmittedAt is { } admitted ? Timestamp.FromDateTimeOffset(admitted) : null,
        LobbyDeadline = p.LobbyDeadline is { } deadline ? Timestamp.FromDateTimeOffset(deadline) : null,
    };

    public static V1.SessionEvent ToProto(SessionEvent e) => new()
    {
        Sequence = e.Sequence,
        Time = Timestamp.FromDateTimeOffset(e.At),
        Kind = (V1.SessionEvent.Types.Kind)(int)e.Kind,
        Subject = e.Subject ?? string.Empty,
        Actor = e.Actor ?? string.Empty,
        Reason = e.Reason ?? string.Empty,
    };

    public static V1.JoinTicket? ToProto(JoinTicket? ticket) => ticket is null ? null : new V1.JoinTicket
    {
        Token = ticket.Token,
        ExpireTime = Timestamp.FromDateTimeOffset(ticket.ExpiresAt),
    };

    public static V1.Person ToPerson(PersonView p) => p.Kind switch
    {
        PrincipalKind.Anonymous => new V1.Person { AnonymousGuest = new V1.Person.Types.AnonymousGuest { Email = p.Email ?? string.Empty, DisplayName = p.DisplayName } },
        PrincipalKind.Federated => new V1.Person { FederatedUser = new V1.Person.Types.FederatedUser { TenantId = p.TenantId ?? string.Empty, UserId = p.UserId ?? string.Empty } },
        _ => new V1.Person { TenantUser = new V1.Person.Types.TenantUser { UserId = p.UserId ?? string.Empty } },
    };

    private static bool IsObjectId(string? value, Violations violations, string field)
    {
        if (Guid.TryParseExact(value, "D", out _))
        {
            return true;
        }

        violations.Add(field, "must be the user's object id (a GUID)");
        return false;
    }
}
