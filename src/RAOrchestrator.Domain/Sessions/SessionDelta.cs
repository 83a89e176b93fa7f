using System.Collections.Immutable;

namespace RAOrchestrator.Domain.Sessions;

/// <summary>
/// What one step changed in a <see cref="SessionState"/>: the header (every field but the three dictionaries and the
/// timeline) when any of it changed, the dictionary entries added, replaced or removed, and the events appended. A
/// session grain stores one of these a step instead of the whole session; <see cref="ApplyTo"/> rebuilds the state.
/// <para>
/// The rules build each state from the one before with <c>with</c> and <c>SetItem</c>, so an unchanged participant,
/// invitation or ticket is the same instance in both states: entries are compared by reference first and by value only
/// when the instances differ (a value equal to the old one is left out, so deltas stay small either way).
/// </para>
/// </summary>
/// <param name="Header">The state after the step with empty dictionaries and timeline; null when no header field changed.</param>
/// <param name="FromSequence">The timeline length the delta applies to (the <see cref="SessionState.LastSequence"/> before).</param>
[GenerateSerializer, Immutable, Alias("raorch.sessions.SessionDelta")]
public sealed record SessionDelta(
    [property: Id(0)] SessionState? Header,
    [property: Id(1)] long FromSequence,
    [property: Id(2)] ImmutableDictionary<string, Invitation> Invitations,
    [property: Id(3)] ImmutableArray<string> RemovedInvitations,
    [property: Id(4)] ImmutableDictionary<string, Participant> Participants,
    [property: Id(5)] ImmutableArray<string> RemovedParticipants,
    [property: Id(6)] ImmutableDictionary<string, TicketRecord> Tickets,
    [property: Id(7)] ImmutableArray<string> RemovedTickets,
    [property: Id(8)] ImmutableArray<SessionEvent> Events)
{
    /// <summary>The state's <see cref="SessionState.UpdatedAt"/> after the step, kept apart from the header.</summary>
    [Id(9)]
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The delta that turns <paramref name="before"/> into <paramref name="after"/> (a later state of the same session).</summary>
    /// <exception cref="ArgumentException">When <paramref name="after"/>'s timeline does not continue <paramref name="before"/>'s.</exception>
    public static SessionDelta Between(SessionState before, SessionState after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        // The timeline keeps its newest events (SessionLimits.MaxEvents): the step appended the last `added` of them,
        // and the last event before it, when still kept, is the same.
        var from = before.LastSequence;
        var added = after.LastSequence - from;
        var lastBefore = before.Events.IsEmpty ? -1 : before.Events[^1].Sequence - after.EventsDropped - 1;
        if (added < 0 || added > after.Events.Count || after.EventsDropped < before.EventsDropped
            || (lastBefore >= 0 && !Equals(after.Events[(int)lastBefore], before.Events[^1])))
        {
            throw new ArgumentException($"The timeline of {after.Name} does not continue the one before (sequence {from}).", nameof(after));
        }

        var header = WithoutCollections(after);
        return new SessionDelta(
            header == WithoutCollections(before) ? null : header,
            from,
            Changed(before.Invitations, after.Invitations, out var removedInvitations),
            removedInvitations,
            Changed(before.Participants, after.Participants, out var removedParticipants),
            removedParticipants,
            Changed(before.Tickets, after.Tickets, out var removedTickets),
            removedTickets,
            added == 0 ? [] : [.. after.Events.GetRange(after.Events.Count - (int)added, (int)added)])
        {
            UpdatedAt = after.UpdatedAt,
        };
    }

    /// <summary>True when the step changed nothing at all.</summary>
    public bool IsEmpty => Header is null && Invitations.IsEmpty && RemovedInvitations.IsDefaultOrEmpty && Participants.IsEmpty
        && RemovedParticipants.IsDefaultOrEmpty && Tickets.IsEmpty && RemovedTickets.IsDefaultOrEmpty && Events.IsDefaultOrEmpty;

    /// <summary>The state after the step, given the state it was taken from.</summary>
    /// <exception cref="InvalidOperationException">When <paramref name="before"/> is not the state the delta was taken from (its timeline length differs).</exception>
    public SessionState ApplyTo(SessionState before)
    {
        ArgumentNullException.ThrowIfNull(before);
        if (before.LastSequence != FromSequence)
        {
            throw new InvalidOperationException($"A delta of {before.Name} taken at sequence {FromSequence} cannot apply to sequence {before.LastSequence}.");
        }

        var head = Header ?? before;
        var events = Events.IsDefaultOrEmpty ? before.Events : before.Events.AddRange(Events);
        var dropped = (int)(head.EventsDropped - before.EventsDropped);
        return head with
        {
            Invitations = Apply(before.Invitations, Invitations, RemovedInvitations),
            Participants = Apply(before.Participants, Participants, RemovedParticipants),
            Tickets = Apply(before.Tickets, Tickets, RemovedTickets),
            Events = dropped > 0 ? events.RemoveRange(0, dropped) : events,
            UpdatedAt = UpdatedAt == default ? before.UpdatedAt : UpdatedAt,
        };
    }

    private static SessionState WithoutCollections(SessionState s) => s with
    {
        Invitations = ImmutableDictionary<string, Invitation>.Empty,
        Participants = ImmutableDictionary<string, Participant>.Empty,
        Tickets = ImmutableDictionary<string, TicketRecord>.Empty,
        Events = ImmutableList<SessionEvent>.Empty,
        UpdatedAt = default,
    };

    private static ImmutableDictionary<string, T> Changed<T>(ImmutableDictionary<string, T> before, ImmutableDictionary<string, T> after, out ImmutableArray<string> removed)
        where T : class
    {
        removed = [];
        if (ReferenceEquals(before, after))
        {
            return ImmutableDictionary<string, T>.Empty;
        }

        var changed = ImmutableDictionary.CreateBuilder<string, T>();
        var kept = 0;
        foreach (var (key, value) in after)
        {
            if (!before.TryGetValue(key, out var old))
            {
                changed.Add(key, value);
                continue;
            }

            kept++;
            if (!ReferenceEquals(old, value) && !Equals(old, value))
            {
                changed.Add(key, value);
            }
        }

        if (kept < before.Count)
        {
            removed = [.. before.Keys.Where(k => !after.ContainsKey(k)).Order(StringComparer.Ordinal)];
        }

        return changed.ToImmutable();
    }

    private static ImmutableDictionary<string, T> Apply<T>(ImmutableDictionary<string, T> before, ImmutableDictionary<string, T> changed, ImmutableArray<string> removed)
    {
        var result = changed.IsEmpty ? before : before.SetItems(changed);
        return removed.IsDefaultOrEmpty ? result : result.RemoveRange(removed);
    }
}
