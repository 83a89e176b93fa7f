using System.Text.Json.Nodes;
using RAOrchestrator.GraphEmulator.State;

namespace RAOrchestrator.GraphEmulator.Admin;

/// <summary>
/// <c>GET|DELETE /_emulator/tenants/{t}/mail[?to=address]</c>: the tenant's mailbox log (what its mailboxes sent with
/// <c>sendMail</c>), read oldest first, optionally only the messages addressed to one address (any case), and cleared.
/// </summary>
public static class MailEndpoints
{
    public static void MapMailEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/tenants/{t}/mail", (string t, string? to, EmulatorState s) =>
        {
            if (s.FindTenant(t) is not { } tenant)
            {
                return AdminEndpoints.NoTenant(t);
            }

            lock (s.Sync)
            {
                return Results.Json(new JsonObject { ["value"] = new JsonArray([.. tenant.Mail.List(to).Select(m => (JsonNode?)m.ToJson())]) });
            }
        });

        admin.MapDelete("/tenants/{t}/mail", (string t, EmulatorState s) =>
        {
            if (s.FindTenant(t) is not { } tenant)
            {
                return AdminEndpoints.NoTenant(t);
            }

            lock (s.Sync)
            {
                tenant.Mail.Clear();
            }

            return Results.NoContent();
        });
    }
}
