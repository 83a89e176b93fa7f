using RAOrchestrator.Abstractions.Sessions;

namespace RAOrchestrator.Server.Web.Console;

/// <summary>The console's three buttons, on both consoles: each is the session grain call the gRPC service makes.</summary>
public static class LobbyActions
{
    public static bool IsKnown(string action) => action is "admit" or "deny" or "remove";

    /// <summary>Admits, denies or removes <paramref name="participant"/> as <paramref name="actor"/> (null: the managing partner).</summary>
    public static async Task DecideAsync(ISessionGrain session, string owner, PersonRef? actor, string action, string participant) =>
        _ = action switch
        {
            "admit" => await session.AdmitAsync(owner, actor, participant),
            "deny" => await session.DenyAsync(owner, actor, participant),
            _ => await session.RemoveAsync(owner, actor, participant),
        };
}
