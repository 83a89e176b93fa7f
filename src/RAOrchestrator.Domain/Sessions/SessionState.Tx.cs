using System.Collections.Immutable;

namespace RAOrchestrator.Domain.Sessions;

/// <summary>The transaction every rule builds its next state in.</summary>
public sealed partial record SessionState
{
    /// <summary>Accumulates the changes of one rule: the next state and the events it appended.</summary>
    private sealed class Tx(SessionState state)
    {
        private readonly ImmutableArray<SessionEvent>.Builder _events = ImmutableArray.CreateBuilder<SessionEvent>();

        public SessionState State { get; private set; } = state;

        public SessionStep<T> Done<T>(T value) where T : class => new(State, value, null, _events.ToImmutable());

        public void Emit(DateTimeOffset at, SessionEventKind kind, string? subject, string? actor, string? reason)
        {
            var e = new SessionEvent(State.LastSequence + 1, at, kind, subject, actor, reason);
            State = State.Events.Count >= State.Limits.MaxEvents
                ? State with { Events = State.Events.RemoveAt(0).Add(e), EventsDropped = State.EventsDropped + 1 } // the oldest event goes
                : State with { Events = State.Events.Add(e) };
            _events.Add(e);
        }

        public void Put(Participant p) => State = State with { Participants = State.Participants.SetItem(p.Id, p) };

        /// <summary>
        /// Before a new participant record is added: when the records (organizer side aside) are at
        /// <see cref="SessionLimits.MaxParticipantRecords"/>, the one that ended longest ago is forgotten with its tickets
        /// (left, timed out or released first, then denied or removed). Those waiting or admitted are never forgotten, and
        /// they are at most <see cref="SessionLimits.MaxParticipants"/>, well under the bound.
        /// </summary>
        public void MakeRoomForOneMore()
        {
            var records = State.Participants.Values.Where(p => !State.IsOrganizerSide(p.Id)).ToList();
            if (records.Count < State.Limits.MaxParticipantRecords)
            {
                return;
            }

            var forget = records
                .Where(p => p.Status is not (ParticipantStatus.InLobby or ParticipantStatus.Admitted))
                .OrderBy(p => p.Status is ParticipantStatus.Denied or ParticipantStatus.Removed ? 1 : 0)
                .ThenBy(p => p.StatusAt)
                .ThenBy(p => p.Id, StringComparer.Ordinal)
                .Take(records.Count - State.Limits.MaxParticipantRecords + 1)
                .Select(p => p.Id)
                .ToHashSet(StringComparer.Ordinal);
            State = State with
            {
                Participants = State.Participants.RemoveRange(forget),
                Tickets = State.Tickets.RemoveRange(State.Tickets.Values.Where(t => forget.Contains(t.ParticipantId)).Select(t => t.TokenHash)),
            };
        }

        public void PutTicket(TicketRecord t) => State = State with { Tickets = State.Tickets.SetItem(t.TokenHash, t) };

        public Participant SetStatus(Participant p, ParticipantStatus status, string? by, string reason, DateTimeOffset now)
        {
            var changed = p with { Status = status, DecidedBy = by ?? p.DecidedBy, StatusReason = reason, StatusAt = now };
            Put(changed);
            return changed;
        }

        public JoinTicket AdmitNow(Participant p, string? by, string rule, DateTimeOffset now, ISessionRandom random)
        {
            var admitted = p with { Status = ParticipantStatus.Admitted, AdmittedAt = now, DecidedBy = by, StatusReason = rule, StatusAt = now };
            Put(admitted);
            if (State.Status == SessionStatus.Scheduled)
            {
                State = State with { Status = SessionStatus.Active };
                Emit(now, SessionEventKind.Started, null, by, null);
            }

            Emit(now, SessionEventKind.Admitted, p.Id, by, rule);
            return NewTicket(admitted, now, random);
        }

        public JoinTicket NewTicket(Participant p, DateTimeOffset now, ISessionRandom random)
        {
            var token = TicketTokens.NewToken(State.Name, random);
            var expires = now + State.Limits.TicketLifetime;
            PutTicket(new TicketRecord(TicketTokens.Hash(token), p.Id, now, expires, null, p.Attempt));
            Emit(now, SessionEventKind.TicketIssued, p.Id, null, null);
            // The join URL is handed out only when the ticket is redeemed (RedeemTicket), never with the ticket itself.
            return new JoinTicket(token, State.Name, p.Id, string.Empty, now, expires);
        }

        public void AddInvitations(IEnumerable<Principal> invitees, string by, DateTimeOffset now, out ImmutableArray<Invitation> added, out ImmutableArray<string> already)
        {
            var a = ImmutableArray.CreateBuilder<Invitation>();
            var seen = ImmutableArray.CreateBuilder<string>();
            foreach (var p in invitees)
            {
                if (State.Invitations.ContainsKey(p.Key))
                {
                    if (!seen.Contains(p.Key))
                    {
                        seen.Add(p.Key);
                    }

                    continue;
                }

                var inv = new Invitation(p.Key, p, now, by);
                State = State with { Invitations = State.Invitations.Add(p.Key, inv) };
                Emit(now, SessionEventKind.Invited, p.Key, by, null);
                a.Add(inv);
            }

            added = a.ToImmutable();
            already = seen.ToImmutable();
        }

        public CloseDecision Close(SessionStatus to, string? by, string reason, DateTimeOffset now)
        {
            var released = ImmutableArray.CreateBuilder<string>();
            var left = ImmutableArray.CreateBuilder<string>();
            foreach (var p in State.Participants.Values.OrderBy(p => p.Id, StringComparer.Ordinal).ToList())
            {
                if (p.Status == ParticipantStatus.InLobby)
                {
                    SetStatus(p, ParticipantStatus.Released, by, reason, now);
                    Emit(now, SessionEventKind.Released, p.Id, by, reason);
                    released.Add(p.Id);
                }
                else if (p.Status == ParticipantStatus.Admitted)
                {
                    SetStatus(p, ParticipantStatus.Left, by, reason, now);
                    Emit(now, SessionEventKind.Left, p.Id, by, reason);
                    left.Add(p.Id);
                }
            }

            State = State with { Status = to, ClosedAt = now, CloseReason = reason };
            Emit(now, to == SessionStatus.Cancelled ? SessionEventKind.Cancelled : SessionEventKind.Ended, null, by, reason);
            return new CloseDecision(to, released.ToImmutable(), left.ToImmutable(), true);
        }
    }
}
