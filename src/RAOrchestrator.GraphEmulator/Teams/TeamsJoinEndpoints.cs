using System.Text.Json.Nodes;
using RAOrchestrator.GraphEmulator.State;

namespace RAOrchestrator.GraphEmulator.Teams;

/// <summary>
/// What Teams does when someone opens a meeting's join URL. The emulator serves Teams' own path,
/// <c>GET /l/meetup-join/{thread}/{message}?context=…[&amp;name=…]</c>: a small page "You joined {subject} as {name}"
/// while the online meeting exists, and "This meeting no longer exists" (404) once it was deleted through Graph or
/// replaced by another with a new URL. A browser that resolves teams.microsoft.com to the emulator lands on it as it
/// would on Teams. <c>GET /_emulator/teams/join?url={joinWebUrl}</c> answers the same question as JSON for code.
/// </summary>
public static class TeamsJoinEndpoints
{
    private const int MaxNameLength = 100;

    public static void MapTeamsJoinEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(TeamsJoinLinks.PathPrefix + "{**rest}", (HttpContext http, EmulatorState s) =>
        {
            if (TeamsJoinLinks.ThreadOf(http.Request.Path.Value) is not { } thread)
            {
                return TeamsPages.NotALink("A meeting link looks like /l/meetup-join/19:meeting_…@thread.v2/0. Check the link you were given.");
            }

            var name = http.Request.Query["name"].ToString().Trim();
            if (name.Length > MaxNameLength || name.Any(char.IsControl))
            {
                return TeamsPages.NotALink($"The name to join with must be at most {MaxNameLength} characters.");
            }

            lock (s.Sync)
            {
                if (TeamsJoinLinks.Find(s, thread) is not var (tenant, meeting))
                {
                    return TeamsPages.Gone();
                }

                var organizer = (string?)meeting.Body["participants"]?["organizer"]?["identity"]?["user"]?["displayName"];
                return TeamsPages.Joined((string?)meeting.Body["subject"], name.Length == 0 ? "Guest" : name, organizer, tenant.DisplayName);
            }
        });

        app.MapGet("/_emulator/teams/join", (string? url, EmulatorState s) =>
        {
            if (TeamsJoinLinks.ThreadOfUrl(url) is not { } thread)
            {
                return Results.BadRequest(new JsonObject { ["error"] = "url must be a Teams meeting join URL (https://…/l/meetup-join/{thread}/{message})." });
            }

            lock (s.Sync)
            {
                return TeamsJoinLinks.Find(s, thread) is var (tenant, meeting)
                    ? Results.Json(new JsonObject { ["tenantId"] = tenant.Id, ["meetingId"] = meeting.Id, ["subject"] = meeting.Body["subject"]?.DeepClone() })
                    : Results.NotFound(new JsonObject { ["error"] = "This meeting link is not valid: the meeting was deleted or replaced, or never existed." });
            }
        });
    }
}
