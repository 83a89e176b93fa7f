using System.Security.Cryptography;
using System.Text.Json.Nodes;
using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.GraphEmulator.Teams;

namespace RAOrchestrator.GraphEmulator.Graph;

public sealed partial class GraphApi
{
    private static readonly string[] LobbyScopes = ["organizer", "organization", "organizationAndFederated", "everyone", "unknownFutureValue"];
    private static readonly string[] EvolvedLobbyScopes = ["invited", "organizationExcludingGuests"];
    private static readonly string[] Presenters = ["everyone", "organization", "roleIsPresenter", "organizer", "unknownFutureValue"];
    private static readonly string[] LobbyAdmitters = ["organizerAndCoOrganizersAndPresenters", "organizerAndCoOrganizers", "unknownFutureValue"];

    private static string NewId(int bytes = 24) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).Replace('+', '-').Replace('/', '_').TrimEnd('=');

    private static JsonObject EmailAddress(JsonObject user) => new()
    {
        ["name"] = (string?)user["displayName"],
        ["address"] = (string?)user["mail"] ?? (string?)user["userPrincipalName"],
    };

    // ---- events ----

    private GraphResponse CreateEvent(GraphRequest r, string userId)
    {
        var organizer = r.Tenant.FindUser(userId);
        if (organizer is null)
        {
            return GraphResponse.Error(404, "ErrorInvalidUser", $"The requested user '{userId}' is invalid.");
        }

        if (BodyObject(r) is not { } body)
        {
            return GraphResponse.Error(400, "ErrorInvalidRequest", "Your request can't be completed. The request body is empty.");
        }

        // transactionId: Exchange answers a retried POST with the event it already made, and sends nothing again.
        if ((string?)body["transactionId"] is { Length: > 0 } transaction
            && r.Tenant.Events.FirstOrDefault(e => e.UserId == (string)organizer["id"]! && (string?)e.Body["transactionId"] == transaction) is { } earlier)
        {
            return GraphResponse.Created(earlier.Body.DeepClone());
        }

        var ev = (JsonObject)body.DeepClone();
        var id = "AAMkA" + NewId();
        ev["@odata.context"] = new Uri(r.BaseAddress, $"v1.0/$metadata#users('{(string)organizer["id"]!}')/events/$entity").ToString();
        ev["id"] = id;
        ev["createdDateTime"] = Now();
        ev["lastModifiedDateTime"] = Now();
        ev["iCalUId"] = "040000008200E00074C5B7101A82E008" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        ev["organizer"] = new JsonObject { ["emailAddress"] = EmailAddress(organizer) };
        ev["isOrganizer"] = true;
        ev["isCancelled"] = false;
        ev["webLink"] = $"https://outlook.office365.com/owa/?itemid={Uri.EscapeDataString(id)}&exvsurl=1&path=/calendar/item";
        var online = (bool?)ev["isOnlineMeeting"] == true;
        string? joinUrl = null;
        if (online)
        {
            var provider = (string?)ev["onlineMeetingProvider"] ?? "teamsForBusiness";
            if (provider != "teamsForBusiness")
            {
                return GraphResponse.Error(400, "ErrorInvalidRequest", $"Online meeting provider '{provider}' is not supported for this mailbox.");
            }
            joinUrl = TeamsJoinLinks.NewJoinUrl(r.Tenant.Id, (string)organizer["id"]!, out var threadId);
            // The Teams meeting behind the event, findable with onlineMeetings?$filter=JoinWebUrl eq '...'.
            var meeting = BuildMeeting(r, organizer, joinUrl, threadId);
            meeting["subject"] = (string?)ev["subject"];
            r.Tenant.OnlineMeetings.Add(new StoredItem { UserId = (string)organizer["id"]!, Id = (string)meeting["id"]!, Body = meeting });
            ev["onlineMeetingProvider"] = "teamsForBusiness";
            ev["onlineMeeting"] = new JsonObject { ["joinUrl"] = joinUrl };
            ev["onlineMeetingUrl"] = null;
        }
        else
        {
            ev["isOnlineMeeting"] = false;
            ev["onlineMeetingProvider"] ??= "unknown";
            ev["onlineMeeting"] = null;
        }
        var attendees = new JsonArray();
        if (body["attendees"] is JsonArray list)
        {
            foreach (var a in list.OfType<JsonObject>())
            {
                var copy = (JsonObject)a.DeepClone();
                copy["type"] ??= "required";
                copy["status"] = new JsonObject { ["response"] = "none", ["time"] = "0001-01-01T00:00:00Z" };
                attendees.Add(copy);
            }
        }
        ev["attendees"] = attendees;
        r.Tenant.Events.Add(new StoredItem { UserId = (string)organizer["id"]!, Id = id, Body = ev });

        var organizerAddress = (string?)organizer["mail"] ?? (string)organizer["userPrincipalName"]!;
        foreach (var a in attendees)
        {
            var to = (string?)a?["emailAddress"]?["address"];
            if (string.IsNullOrEmpty(to))
            {
                continue;
            }

            r.Tenant.Outbox.Add(new OutboxMessage(to, (string?)ev["subject"] ?? "", joinUrl, organizerAddress, id,
                ev["start"]?.DeepClone(), ev["end"]?.DeepClone(), time.GetUtcNow(), (string?)ev["body"]?["content"]));
        }
        return GraphResponse.Created(ev.DeepClone());
    }

    private GraphResponse ListEvents(GraphRequest r, string userId)
    {
        var u = r.Tenant.FindUser(userId);
        if (u is null)
        {
            return GraphResponse.Error(404, "ErrorInvalidUser", $"The requested user '{userId}' is invalid.");
        }

        var items = r.Tenant.Events.Where(e => e.UserId == (string?)u["id"]).Select(e => e.Body).ToList();
        return Page(r, Filter(r, items), $"users('{(string?)u["id"]}')/events", e => StripContext(e));
    }

    private static JsonObject StripContext(JsonObject o)
    {
        var c = (JsonObject)o.DeepClone();
        c.Remove("@odata.context");
        return c;
    }

    private GraphResponse GetEvent(GraphRequest r, string userId, string eventId)
    {
        var item = FindItem(r.Tenant.Events, r, userId, eventId);
        return item is null
            ? GraphResponse.Error(404, "ErrorItemNotFound", "The specified object was not found in the store.")
            : GraphResponse.Ok(item.Body.DeepClone());
    }

    private GraphResponse DeleteEvent(GraphRequest r, string userId, string eventId)
    {
        var item = FindItem(r.Tenant.Events, r, userId, eventId);
        if (item is null)
        {
            return GraphResponse.Error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
        }

        r.Tenant.Events.Remove(item);
        return GraphResponse.NoContent();
    }

    private static StoredItem? FindItem(List<StoredItem> items, GraphRequest r, string userId, string id)
    {
        var u = r.Tenant.FindUser(userId);
        return u is null ? null : items.FirstOrDefault(i => i.UserId == (string?)u["id"] && i.Id == id);
    }

    // ---- online meetings ----

    private GraphResponse? MeetingAccessError(GraphRequest r, string userId, out JsonObject? organizer)
    {
        organizer = r.Tenant.FindUser(userId);
        if (!r.Tenant.ApplicationAccessPolicyApps.Contains(r.Caller.AppId))
        {
            return GraphResponse.Error(403, "Forbidden", "No application access policy found for this app.");
        }
        return organizer is null ? GraphResponse.Error(404, "NotFound", $"The user '{userId}' was not found.") : null;
    }

    private static string LobbyScopeFromPolicy(string autoAdmittedUsers) => autoAdmittedUsers switch
    {
        "Everyone" => "everyone",
        "EveryoneInSameAndFederatedCompany" => "organizationAndFederated",
        "OrganizerOnly" => "organizer",
        "InvitedUsers" => "invited",
        "EveryoneInCompanyExcludingGuests" => "organizationExcludingGuests",
        _ => "organization",
    };

    /// <summary>Checks and copies the settable meeting properties; returns an error for invalid enum values.</summary>
    private static GraphResponse? ApplyMeetingSettings(GraphRequest r, JsonObject meeting, JsonObject body)
    {
        if (body["lobbyBypassSettings"] is JsonObject lobby)
        {
            var target = meeting["lobbyBypassSettings"] as JsonObject ?? new JsonObject();
            if (lobby["scope"] is JsonValue scopeValue)
            {
                var scope = (string?)scopeValue ?? "";
                var evolved = EvolvedLobbyScopes.Contains(scope);
                if (!LobbyScopes.Contains(scope) && !evolved)
                {
                    return GraphResponse.Error(400, "BadRequest", $"Requested value '{scope}' was not found for property 'scope' of type 'lobbyBypassScope'.");
                }
                if (evolved && !r.PrefersUnknownEnumMembers)
                {
                    return GraphResponse.Error(400, "BadRequest",
                        $"Requested value '{scope}' was not found for property 'scope' of type 'lobbyBypassScope'. Evolvable enum members need the header 'Prefer: include-unknown-enum-members'.");
                }
                target["scope"] = scope;
            }
            if (lobby["isDialInBypassEnabled"] is JsonValue dial)
            {
                target["isDialInBypassEnabled"] = (bool)dial;
            }

            meeting["lobbyBypassSettings"] = target;
        }
        if (body["allowedPresenters"] is JsonValue presenters)
        {
            var p = (string?)presenters ?? "";
            if (!Presenters.Contains(p))
            {
                return GraphResponse.Error(400, "BadRequest", $"Requested value '{p}' was not found for property 'allowedPresenters' of type 'onlineMeetingPresenters'.");
            }

            meeting["allowedPresenters"] = p;
        }
        if (body["allowedLobbyAdmitters"] is JsonValue admitters)
        {
            var a = (string?)admitters ?? "";
            if (!LobbyAdmitters.Contains(a))
            {
                return GraphResponse.Error(400, "BadRequest", $"Requested value '{a}' was not found for property 'allowedLobbyAdmitters' of type 'allowedLobbyAdmitterRoles'.");
            }

            meeting["allowedLobbyAdmitters"] = a;
        }
        foreach (var name in new[] { "subject", "startDateTime", "endDateTime", "isEntryExitAnnounced", "allowMeetingChat", "allowTeamworkReactions", "recordAutomatically", "externalId" })
        {
            if (body.ContainsKey(name))
            {
                meeting[name] = body[name]?.DeepClone();
            }
        }
        if (body["participants"] is JsonObject participants && participants["attendees"] is JsonArray attendees)
        {
            ((JsonObject)meeting["participants"]!)["attendees"] = attendees.DeepClone();
        }
        return null;
    }

    /// <summary>Without the Prefer header, evolvable enum members come back as unknownFutureValue.</summary>
    private static JsonObject RenderMeeting(GraphRequest r, JsonObject stored)
    {
        var copy = (JsonObject)stored.DeepClone();
        if (!r.PrefersUnknownEnumMembers && copy["lobbyBypassSettings"]?["scope"] is JsonValue s && EvolvedLobbyScopes.Contains((string?)s))
        {
            copy["lobbyBypassSettings"]!["scope"] = "unknownFutureValue";
        }
        return copy;
    }

    private GraphResponse CreateOnlineMeeting(GraphRequest r, string userId)
    {
        if (MeetingAccessError(r, userId, out var organizer) is { } denied)
        {
            return denied;
        }

        var body = BodyObject(r) ?? new JsonObject();
        var organizerId = (string)organizer!["id"]!;
        var joinUrl = TeamsJoinLinks.NewJoinUrl(r.Tenant.Id, organizerId, out var threadId);
        var meeting = BuildMeeting(r, organizer, joinUrl, threadId);
        if (ApplyMeetingSettings(r, meeting, body) is { } invalid)
        {
            return invalid;
        }

        if (body.ContainsKey("joinWebUrl")) { /* read-only: ignored, as Graph does */ }
        r.Tenant.OnlineMeetings.Add(new StoredItem { UserId = organizerId, Id = (string)meeting["id"]!, Body = meeting });
        return GraphResponse.Created(RenderMeeting(r, meeting));
    }

    /// <summary>
    /// POST /users/{id}/onlineMeetings/createOrGet: <c>externalId</c> (required) names the meeting, so a retry returns the
    /// meeting the first call made (200) instead of making another (201).
    /// </summary>
    private GraphResponse CreateOrGetOnlineMeeting(GraphRequest r, string userId)
    {
        if (MeetingAccessError(r, userId, out var organizer) is { } denied)
        {
            return denied;
        }

        var body = BodyObject(r) ?? new JsonObject();
        if ((string?)body["externalId"] is not { Length: > 0 } externalId)
        {
            return GraphResponse.Error(400, "BadRequest", "The externalId property is required.");
        }

        var organizerId = (string)organizer!["id"]!;
        if (r.Tenant.OnlineMeetings.FirstOrDefault(m => m.UserId == organizerId && (string?)m.Body["externalId"] == externalId) is { } existing)
        {
            return GraphResponse.Ok(RenderMeeting(r, existing.Body));
        }

        return CreateOnlineMeeting(r, userId);
    }

    /// <summary>
    /// GET /users/{id}/onlineMeetings?$filter=JoinWebUrl eq '...': the way Graph finds the online meeting behind a
    /// calendar event's Teams link. Graph refuses the collection without that filter.
    /// </summary>
    private GraphResponse ListOnlineMeetings(GraphRequest r, string userId)
    {
        if (MeetingAccessError(r, userId, out var organizer) is { } denied)
        {
            return denied;
        }

        var filter = r.QueryValue("$filter") ?? string.Empty;
        const string prefix = "JoinWebUrl eq '";
        if (!filter.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || !filter.EndsWith('\''))
        {
            return GraphResponse.Error(400, "BadRequest", "Filter expression expected - /onlineMeetings?$filter=JoinWebUrl eq 'joinUrl'.");
        }

        var joinUrl = filter[prefix.Length..^1].Replace("''", "'", StringComparison.Ordinal);
        var matches = new JsonArray(r.Tenant.OnlineMeetings
            .Where(m => m.UserId == (string)organizer!["id"]! && (string?)m.Body["joinWebUrl"] == joinUrl)
            .Select(m => (JsonNode)RenderMeeting(r, m.Body)).ToArray());
        return GraphResponse.Ok(new JsonObject
        {
            ["@odata.context"] = new Uri(r.BaseAddress, $"v1.0/$metadata#users('{(string)organizer!["id"]!}')/onlineMeetings").ToString(),
            ["value"] = matches,
        });
    }

    private JsonObject BuildMeeting(GraphRequest r, JsonObject organizer, string joinUrl, string threadId)
    {
        var organizerId = (string)organizer["id"]!;
        var start = time.GetUtcNow();
        return new JsonObject
        {
            ["@odata.context"] = new Uri(r.BaseAddress, $"v1.0/$metadata#users('{organizerId}')/onlineMeetings/$entity").ToString(),
            ["id"] = "MSp" + NewId(48),
            ["creationDateTime"] = Now(),
            ["startDateTime"] = start.UtcDateTime.ToString("o"),
            ["endDateTime"] = start.AddHours(1).UtcDateTime.ToString("o"),
            ["subject"] = null,
            ["joinWebUrl"] = joinUrl,
            ["videoTeleconferenceId"] = null,
            ["isEntryExitAnnounced"] = true,
            ["allowedPresenters"] = "everyone",
            ["allowedLobbyAdmitters"] = "organizerAndCoOrganizersAndPresenters",
            ["allowMeetingChat"] = "enabled",
            ["allowTeamworkReactions"] = true,
            ["recordAutomatically"] = false,
            ["lobbyBypassSettings"] = new JsonObject
            {
                ["scope"] = LobbyScopeFromPolicy(r.Tenant.TeamsSettings.AutoAdmittedUsers),
                ["isDialInBypassEnabled"] = r.Tenant.TeamsSettings.AllowPSTNUsersToBypassLobby,
            },
            ["joinMeetingIdSettings"] = new JsonObject
            {
                ["isPasscodeRequired"] = false,
                ["joinMeetingId"] = string.Concat(Enumerable.Range(0, 12).Select(_ => (char)('0' + RandomNumberGenerator.GetInt32(10)))),
                ["passcode"] = NewId(6),
            },
            ["chatInfo"] = new JsonObject { ["threadId"] = threadId, ["messageId"] = "0", ["replyChainMessageId"] = null },
            ["participants"] = new JsonObject
            {
                ["organizer"] = new JsonObject
                {
                    ["upn"] = (string?)organizer["userPrincipalName"],
                    ["role"] = "presenter",
                    ["identity"] = new JsonObject
                    {
                        ["user"] = new JsonObject
                        {
                            ["id"] = organizerId,
                            ["displayName"] = (string?)organizer["displayName"],
                            ["tenantId"] = r.Tenant.Id,
                            ["identityProvider"] = "AAD",
                        },
                    },
                },
                ["attendees"] = new JsonArray(),
            },
        };
    }

    private GraphResponse GetOnlineMeeting(GraphRequest r, string userId, string meetingId)
    {
        if (MeetingAccessError(r, userId, out _) is { } denied)
        {
            return denied;
        }

        var item = FindItem(r.Tenant.OnlineMeetings, r, userId, meetingId);
        return item is null ? GraphResponse.Error(404, "NotFound", "Specified meeting is not found.") : GraphResponse.Ok(RenderMeeting(r, item.Body));
    }

    private GraphResponse PatchOnlineMeeting(GraphRequest r, string userId, string meetingId)
    {
        if (MeetingAccessError(r, userId, out _) is { } denied)
        {
            return denied;
        }

        var item = FindItem(r.Tenant.OnlineMeetings, r, userId, meetingId);
        if (item is null)
        {
            return GraphResponse.Error(404, "NotFound", "Specified meeting is not found.");
        }

        var updated = (JsonObject)item.Body.DeepClone();
        if (ApplyMeetingSettings(r, updated, BodyObject(r) ?? new JsonObject()) is { } invalid)
        {
            return invalid;
        }

        item.Body = updated;
        return GraphResponse.Ok(RenderMeeting(r, updated));
    }

    private GraphResponse DeleteOnlineMeeting(GraphRequest r, string userId, string meetingId)
    {
        if (MeetingAccessError(r, userId, out _) is { } denied)
        {
            return denied;
        }

        var item = FindItem(r.Tenant.OnlineMeetings, r, userId, meetingId);
        if (item is null)
        {
            return GraphResponse.Error(404, "NotFound", "Specified meeting is not found.");
        }

        r.Tenant.OnlineMeetings.Remove(item);
        return GraphResponse.NoContent();
    }
}
