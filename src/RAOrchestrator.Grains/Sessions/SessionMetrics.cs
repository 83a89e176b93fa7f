using System.Collections.Immutable;
using RAOrchestrator.Domain.Sessions;

namespace RAOrchestrator.Grains.Sessions;

/// <summary>Turns the events of one committed step into the session metrics (bounded attributes only).</summary>
public static class SessionMetrics
{
    public static void Record(SessionState before, ImmutableArray<SessionEvent> events)
    {
        foreach (var e in events)
        {
            var decision = e.Kind switch
            {
                SessionEventKind.Admitted => "admitted",
                SessionEventKind.Denied => "denied",
                SessionEventKind.Removed => "removed",
                SessionEventKind.TimedOut => "timed_out",
                SessionEventKind.Released => "released",
                _ => null,
            };
            if (decision is not null)
            {
                Telemetry.LobbyDecisions.Add(1, new("lobby.decision", decision), new("lobby.reason", e.Reason ?? string.Empty));
                var waited = before.Find(e.Subject ?? string.Empty) is { Status: ParticipantStatus.InLobby } w ? (e.At - w.RequestedAt).TotalSeconds
                    : decision == "admitted" ? 0d : double.NaN;
                if (!double.IsNaN(waited))
                {
                    Telemetry.LobbyWait.Record(Math.Max(0, waited), new KeyValuePair<string, object?>("lobby.decision", decision));
                }
            }
        }
    }
}
